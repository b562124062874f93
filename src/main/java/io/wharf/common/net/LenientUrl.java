package io.wharf.common.net;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * Legacy data and servers write spaces, {@code | { } ^ [ ]}, stray {@code %} and non-ASCII letters into URLs
 * unescaped; a browser fetches them anyway, so Wharf escapes them the same way before java.net.URI reads them:
 * path, query and fragment percent-encoded as UTF-8, a non-ASCII host name in its IDNA (punycode) form.
 */
public final class LenientUrl {

    private LenientUrl() {
    }

    public static URI parse(String url) throws URISyntaxException {
        return new URI(escape(url));
    }

    public static String escape(String url) {
        int authority = url.indexOf("://");
        int rest = authority < 0 ? 0 : firstOf(url, "/?#", authority + 3);
        StringBuilder sb = new StringBuilder(url.length() + 16);
        sb.append(authority < 0 ? "" : host(url.substring(0, rest)));
        boolean fragment = false;
        byte[] bytes = url.substring(rest).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean escape = c <= 0x20 || c >= 0x7f || "\"<>\\^`{|}[]".indexOf(c) >= 0
                    || c == '%' && !(i + 2 < bytes.length && hex(bytes[i + 1]) && hex(bytes[i + 2]))
                    || c == '#' && fragment; // only the first '#' starts the fragment
            fragment |= c == '#';
            if (escape) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** scheme://[userinfo@]host[:port] with a non-ASCII host name in its ASCII form; anything else is left for URI to judge. */
    private static String host(String prefix) {
        if (prefix.chars().allMatch(c -> c < 0x80)) {
            return prefix;
        }
        int start = prefix.indexOf("://") + 3;
        int at = prefix.lastIndexOf('@');
        int hostStart = Math.max(start, at + 1);
        int colon = prefix.indexOf(':', hostStart);
        int hostEnd = colon < 0 ? prefix.length() : colon;
        try {
            return prefix.substring(0, hostStart) + IDN.toASCII(prefix.substring(hostStart, hostEnd), IDN.ALLOW_UNASSIGNED)
                    + prefix.substring(hostEnd);
        } catch (IllegalArgumentException e) {
            return prefix;
        }
    }

    private static int firstOf(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    private static boolean hex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}
