package io.wharf.common.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Decides whether Wharf may open a connection that a tenant asked for. Host names are resolved first
 * and every address checked, so that a public-looking name cannot lead to loopback, private networks or
 * cloud metadata endpoints; callers then connect to the vetted address, not the name again.
 * Names are looked up by {@link HostResolver}, for an owner whose lookups in flight it bounds.
 */
@ApplicationScoped
public class OutboundAddressPolicy {

    /** A connection Wharf refused to open; nothing was sent. */
    public static class Refused extends Exception {
        private final String detail;

        public Refused(String message) {
            this(message, message);
        }

        /** message is what the tenant is told; detail (the addresses a name resolved to) is for the operator's log only. */
        public Refused(String message, String detail) {
            super(message);
            this.detail = detail;
        }

        public String detail() {
            return detail;
        }
    }

    /** The name was not resolved before the caller's deadline, or the resolver is busy or failing for now: try again later. */
    public static class TimedOut extends Refused {
        public TimedOut(String message) {
            super(message);
        }
    }

    /** The owner has as many lookups in flight as it may: nothing was looked up; try again shortly. */
    public static final class Busy extends TimedOut {
        public Busy(String message) {
            super(message);
        }
    }

    private final HostResolver resolver;
    private final boolean allowPrivate;
    private final List<String> allowedHosts;
    private final int timeoutSeconds;

    @Inject
    OutboundAddressPolicy(HostResolver resolver, OutboundConfig config) {
        this(resolver, config.allowPrivateAddresses(), config.allowedHosts().orElse(List.of()),
                config.timeoutSeconds());
    }

    private OutboundAddressPolicy(HostResolver resolver, boolean allowPrivate, List<String> allowedHosts, int timeoutSeconds) {
        this.resolver = resolver;
        this.allowPrivate = allowPrivate;
        this.allowedHosts = AllowedHost.parse(allowedHosts).stream().map(AllowedHost::name).toList();
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The same rules with a host allow-list of their own (the legacy file server for the migration). */
    public static OutboundAddressPolicy of(HostResolver resolver, boolean allowPrivate, List<String> allowedHosts, int timeoutSeconds) {
        return new OutboundAddressPolicy(resolver, allowPrivate, allowedHosts, timeoutSeconds);
    }

    /** As {@link #resolve(String, UUID, long)}, with the outbound timeout from now. */
    public InetAddress resolve(String host, UUID owner) throws Refused {
        return resolve(host, owner, System.nanoTime() + timeoutSeconds * 1_000_000_000L);
    }

    /**
     * The vetted address of host, resolved by deadlineNanos ({@link System#nanoTime()}) at the latest, the
     * lookup counted against owner: the tenant who asked, or {@link HostResolver#OPERATOR}.
     */
    public InetAddress resolve(String host, UUID owner, long deadlineNanos) throws Refused {
        return resolve(host, owner, deadlineNanos, host != null && allowedHosts.contains(AllowedHost.name(host)));
    }

    /** As {@link #resolve(String, UUID, long)}, where the caller's own allow-list decided whether this host may be internal. */
    public InetAddress resolve(String host, UUID owner, long deadlineNanos, boolean allowedHost) throws Refused {
        if (host == null || host.isBlank()) {
            throw new Refused("no host given");
        }
        if (NUMERIC_HOST.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
            throw new Refused("'" + host + "' is a number that other programs read as an IPv4 address; write the address as a dotted quad");
        }
        // an address written out needs no lookup (and must not wait for a free lookup thread)
        InetAddress[] addresses = isLiteral(host) ? new InetAddress[] { literal(host) } : resolver.lookup(host, owner, deadlineNanos);
        if (allowPrivate || allowedHost) {
            return addresses[0];
        }
        for (InetAddress a : addresses) {
            if (isInternal(a)) {
                // which address it was would make every refusal an internal DNS lookup for the caller
                throw new Refused("host '" + host + "' resolves to an internal address that outbound connections may not reach",
                        "host '" + host + "' resolves to " + a.getHostAddress() + ", an internal address (see wharf.outbound.*)");
            }
        }
        return addresses[0];
    }

    /** What inet_aton reads as an IPv4 address (octal, hex, fewer parts); only the canonical dotted quad is taken as one. */
    private static final Pattern NUMERIC_HOST = Pattern
            .compile("(0[xX][0-9a-fA-F]*|[0-9]+)(\\.(0[xX][0-9a-fA-F]*|[0-9]+)){0,3}\\.?");

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.%a-zA-Z]+");

    /** The name without its one trailing dot: "localhost." names the same host as "localhost". */
    public static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static boolean isLiteral(String host) {
        return host.startsWith("[") || DOTTED_QUAD.matcher(host).matches() || (host.indexOf(':') >= 0 && IPV6_CHARS.matcher(host).matches());
    }

    private static InetAddress literal(String host) throws Refused {
        if (DOTTED_QUAD.matcher(host).matches()
                && Arrays.stream(host.split("\\.")).anyMatch(o -> o.length() > 1 && o.startsWith("0"))) {
            // 0177.0.0.1 is 127.0.0.1 to curl and browsers, 177.0.0.1 to Java: refused rather than read either way
            throw new Refused("'" + host + "' is not a canonical IPv4 address (no leading zeros)");
        }
        if (DOTTED_QUAD.matcher(host).matches() && Arrays.stream(host.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) {
            throw new Refused("'" + host + "' is not a valid address");
        }
        try {
            return InetAddress.getByName(host); // a literal is parsed, never looked up
        } catch (UnknownHostException e) {
            throw new Refused("'" + host + "' is not a valid address");
        }
    }

    /**
     * Loopback, private, link-local, multicast, reserved and documentation ranges, and the IPv6 forms
     * that carry an IPv4 address (mapped, compatible, NAT64, 6to4) judged by that IPv4 address, so that
     * an internal IPv4 host cannot be reached by writing it as IPv6.
     */
    public static boolean isInternal(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            int third = b[2] & 0xff;
            return first == 0 || first >= 240 // "this network", reserved, broadcast
                    || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    || (first == 192 && second == 0 && (third == 0 || third == 2)) // IETF protocol assignments, TEST-NET-1
                    || (first == 192 && second == 88 && third == 99) // 6to4 relay anycast
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || (first == 198 && second == 51 && third == 100) // TEST-NET-2
                    || (first == 203 && second == 0 && third == 113); // TEST-NET-3
        }
        if (a instanceof Inet6Address) {
            int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
            int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            if ((b[0] & 0xfe) == 0xfc // unique local fc00::/7
                    || (w0 == 0x0100 && w1 == 0 && zero(b, 4, 8)) // discard-only 100::/64
                    || (w0 == 0x2001 && w1 < 0x0200) // IETF protocol assignments 2001::/23 (Teredo, benchmarking, ORCHID...)
                    || (w0 == 0x2001 && w1 == 0x0db8) // documentation 2001:db8::/32
                    || (w0 & 0xfff0) == 0x3ff0 // documentation 3fff::/20
                    || (w0 == 0x0064 && w1 == 0xff9b && b[4] == 0 && b[5] == 1)) { // local-use NAT64 64:ff9b:1::/48
                return true;
            }
            if (zero(b, 0, 12)) { // IPv4-compatible ::a.b.c.d: deprecated, nothing legitimate uses it
                return true;
            }
            if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff // IPv4-mapped ::ffff:a.b.c.d
                    || (w0 == 0x0064 && w1 == 0xff9b && zero(b, 4, 12))) { // NAT64 64:ff9b::/96
                return isInternalV4(b[12], b[13], b[14], b[15]);
            }
            if (w0 == 0x2002) { // 6to4 2002:a.b.c.d::/48
                return isInternalV4(b[2], b[3], b[4], b[5]);
            }
        }
        return false;
    }

    private static boolean isInternalV4(byte... v4) {
        try {
            return isInternal(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            return true;
        }
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
