package io.wharf.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An allow-list entry ({@code legacy.internal}, {@code legacy.internal:8080}, {@code legacy.internal:*},
 * {@code [fd00::5]:8080}): a host that may be reached although it resolves to an internal address, and on which
 * port. Without a port it allows only the ports every URL may use (wharf.outbound.allowed-ports), so that
 * allowing a web server's name does not open its database or admin ports too.
 */
public record AllowedHost(String name, int port) {

    /** The entry names no port: the allowed ports apply. */
    public static final int DEFAULT_PORTS = -1;

    /** {@code host:*}: every port of the host. */
    public static final int ANY_PORT = 0;

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

    public static List<AllowedHost> parse(List<String> entries) {
        return entries.stream().map(String::trim).filter(e -> !e.isEmpty()).map(AllowedHost::parse).toList();
    }

    static AllowedHost parse(String entry) {
        String host = entry;
        String port = null;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            host = entry.substring(0, close + 1);
            port = entry.length() > close + 1 && entry.charAt(close + 1) == ':' ? entry.substring(close + 2) : null;
        } else if (entry.indexOf(':') == entry.lastIndexOf(':') && entry.indexOf(':') > 0) { // one colon: a port; more: a bare IPv6 address
            host = entry.substring(0, entry.indexOf(':'));
            port = entry.substring(entry.indexOf(':') + 1);
        }
        if (port == null) {
            return new AllowedHost(name(host), DEFAULT_PORTS);
        }
        if (port.equals("*")) {
            return new AllowedHost(name(host), ANY_PORT);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("allowed host '" + entry + "' names no port 1-65535 (or *)");
        }
        return new AllowedHost(name(host), p);
    }

    /** Whether the entry lets this host be reached on this port. */
    public boolean allows(String host, int port, Set<Integer> allowedPorts) {
        return name.equals(name(host)) && (this.port == ANY_PORT || this.port == port || this.port == DEFAULT_PORTS && allowedPorts.contains(port));
    }

    /**
     * One spelling per host: lower case, without the trailing dot and the brackets of an IPv6 address, an IPv6 address
     * in Java's full form, so that "[::1]", "[0:0::1]" and "LOCALHOST." each compare equal to the entry that names them.
     */
    public static String name(String host) {
        String h = OutboundAddressPolicy.withoutTrailingDot(host.trim().toLowerCase(Locale.ROOT));
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        InetAddress a = literal(h);
        return a == null ? h : a.getHostAddress();
    }

    /** The address a dotted quad or an IPv6 address spells (parsed, never looked up); null for a name or anything else. */
    public static InetAddress literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = DOTTED_QUAD.matcher(h).matches() && Arrays.stream(h.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
        if (!v4 && !(h.indexOf(':') >= 0 && IPV6.matcher(h).matches())) {
            return null; // InetAddress would look anything else up
        }
        try {
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
