package io.wharf.common.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a URL leads: its scheme, lower-case host and port (the scheme's default when the URL names none). The one
 * place that decides it, for the address policy's per-origin answers, the copy's per-host slots and circuits, and
 * Wharf's own endpoint.
 */
public record Origin(String scheme, String host, int port) {

    /** The URL's origin; its host is null when it has none. */
    public static Origin of(URI u) {
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        return new Origin(scheme, u.getHost() == null ? null : u.getHost().toLowerCase(Locale.ROOT), port(u));
    }

    /** The origin of a URL as written (escaped as a browser would); null when it does not parse or has no host. */
    public static Origin parse(String url) {
        try {
            URI u = LenientUrl.parse(url == null ? "" : url.trim());
            return u.getHost() == null ? null : of(u);
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The port a connection to the URL goes to: the one it names, else 443 for https and 80 for anything else. */
    public static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** Host and port, whatever the scheme: what a server's slots are counted by. */
    public String hostAndPort() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
