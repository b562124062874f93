package io.wharf.common.net;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jboss.logging.Logger;

/**
 * Whether Wharf may fetch a URL, at ingestion and at every hop of the fetch alike: an http(s) URL on an allowed
 * port, whose host resolves to a public address or is on this policy's allow-list (for that port), and which is not
 * Wharf's own S3 endpoint. The answer is the vetted address to connect to. A refusal tells the caller what was refused
 * but never what a name resolved to; the operator's log gets that, with the URL's query string left out.
 */
public final class OutboundUrlPolicy {

    private static final Logger LOG = Logger.getLogger(OutboundUrlPolicy.class);

    /** Where to connect: the address vetted for the URL's host, and the port. */
    public record Vetted(InetAddress address, int port) {
    }

    private final String name;
    private final OutboundAddressPolicy addresses;
    private final List<AllowedHost> allowed;
    private final Set<Integer> ports;
    private final Optional<OwnEndpoint> endpoint;

    public OutboundUrlPolicy(String name, OutboundAddressPolicy addresses, List<AllowedHost> allowed, Set<Integer> ports,
            Optional<OwnEndpoint> endpoint) {
        this.name = name;
        this.addresses = addresses;
        this.allowed = List.copyOf(allowed);
        this.ports = Set.copyOf(ports);
        this.endpoint = endpoint;
    }

    /**
     * The address to connect to for uri, resolved by deadlineNanos ({@link System#nanoTime()}), or why not; the
     * lookup counts against owner (the tenant who asked, or {@link HostResolver#OPERATOR}).
     */
    public Vetted check(URI uri, UUID owner, long deadlineNanos) throws OutboundAddressPolicy.Refused {
        try {
            return vet(uri, owner, deadlineNanos);
        } catch (OutboundAddressPolicy.TimedOut e) {
            throw e;
        } catch (OutboundAddressPolicy.Refused e) {
            LOG.warnf("Refused to fetch %s for %s: %s", withoutQuery(uri), name, e.detail());
            throw e;
        }
    }

    private Vetted vet(URI uri, UUID owner, long deadlineNanos) throws OutboundAddressPolicy.Refused {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new OutboundAddressPolicy.Refused("is not an http(s) URL with a host");
        }
        String host = uri.getHost();
        int port = OwnEndpoint.port(uri);
        boolean listed = allowed.stream().anyMatch(a -> a.allows(host, port, ports));
        if (!listed && !ports.contains(port)) {
            throw new OutboundAddressPolicy.Refused("uses port " + port + "; image URLs may use ports " + ports.stream().sorted().toList()
                    + " only (wharf.outbound.allowed-ports)");
        }
        if (endpoint.isPresent() && endpoint.get().reachedAsWritten(uri)) {
            throw ownEndpoint(host);
        }
        InetAddress address = addresses.resolve(host, owner, deadlineNanos, listed);
        if (endpoint.isPresent() && endpoint.get().reaches(address, port)) {
            throw ownEndpoint(host);
        }
        return new Vetted(address, port);
    }

    private static OutboundAddressPolicy.Refused ownEndpoint(String host) {
        return new OutboundAddressPolicy.Refused("host '" + host + "' is Wharf's own S3 endpoint, which is never fetched as an outside file; "
                + "name an object of Wharf's bucket as https://<bucket>.s3.amazonaws.com/<key>");
    }

    /** The URL for the log: a presigned or token-bearing query string is a secret of whoever wrote the URL. */
    public static String withoutQuery(URI uri) {
        String s = uri.toString();
        int cut = s.length();
        for (char c : new char[] { '?', '#' }) {
            int i = s.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        return s.substring(0, cut);
    }
}
