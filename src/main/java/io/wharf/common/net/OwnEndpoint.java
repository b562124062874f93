package io.wharf.common.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Wharf's own S3 endpoint (quarkus.s3.endpoint-override: S3Proxy, MinIO), known by its addresses and port rather
 * than by how a URL spells it, so that "localhost", "127.0.0.1", "[::ffff:127.0.0.1]", "0.0.0.0" or another name of the
 * same server all count as the endpoint. A URL that reaches it is an object of Wharf's bucket or refused: fetched as an
 * outside file, without credentials, it could read whatever the endpoint serves to this network.
 */
public final class OwnEndpoint {

    private static final long REFRESH_NANOS = 60_000_000_000L;

    private final String host;
    private final int port;
    private volatile InetAddress[] addresses = new InetAddress[0];
    private volatile long resolvedAt;

    private OwnEndpoint(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The configured endpoint; none when Wharf talks to AWS itself (its URLs are recognised by their names). */
    public static Optional<OwnEndpoint> of(Optional<URI> endpoint) {
        return endpoint.filter(e -> e.getHost() != null).map(e -> new OwnEndpoint(AllowedHost.name(e.getHost()), port(e)));
    }

    /** The endpoint's host as {@link AllowedHost#name} spells it. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** Whether a connection to this address and port ends at the endpoint's server. */
    public boolean reaches(InetAddress a, int port) {
        if (port != this.port) {
            return false;
        }
        InetAddress[] own = addresses();
        if (Arrays.asList(own).contains(a)) {
            return true;
        }
        // a server on this machine may listen on every local address, not only on the one configured
        return thisMachine(a) && Arrays.stream(own).anyMatch(OwnEndpoint::thisMachine);
    }

    /** Whether the URL's host, as written, is an address or a localhost name that reaches the endpoint: known without a lookup. */
    public boolean reachedAsWritten(URI u) {
        if (u.getHost() == null) {
            return false;
        }
        String h = AllowedHost.name(u.getHost());
        if (h.equals(host)) {
            return port(u) == port;
        }
        InetAddress a = AllowedHost.literal(h);
        if (a == null && (h.equals("localhost") || h.endsWith(".localhost"))) {
            a = InetAddress.getLoopbackAddress(); // RFC 6761: always loopback
        }
        return a != null && reaches(a, port(u));
    }

    public static int port(URI u) {
        return Origin.port(u);
    }

    private InetAddress[] addresses() {
        long now = System.nanoTime();
        if (resolvedAt == 0 || now - resolvedAt > REFRESH_NANOS) {
            InetAddress a = AllowedHost.literal(host);
            try {
                addresses = a != null ? new InetAddress[] { a } : InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                // the endpoint's name does not resolve now: URLs are compared with the addresses known before, if any
            }
            resolvedAt = now;
        }
        return addresses;
    }

    private static boolean thisMachine(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
