package io.wharf.common.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

import io.wharf.common.WharfConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Decides whether Wharf may open a connection that a tenant asked for. Host names are resolved first
 * and every address checked, so that a public-looking name cannot lead to loopback, private networks or
 * cloud metadata endpoints; callers then connect to the vetted address, not the name again.
 */
@ApplicationScoped
public class OutboundAddressPolicy {

    /** A connection Wharf refused to open; nothing was sent. */
    public static class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private final boolean allowPrivate;
    private final List<String> allowedHosts;

    OutboundAddressPolicy(WharfConfig config) {
        this.allowPrivate = config.outbound().allowPrivateAddresses();
        this.allowedHosts = config.outbound().allowedHosts().orElse(List.of()).stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    public InetAddress resolve(String host) throws Refused {
        if (host == null || host.isBlank()) {
            throw new Refused("no host given");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refused("host '" + host + "' does not resolve");
        }
        if (allowPrivate || allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
            return addresses[0];
        }
        for (InetAddress a : addresses) {
            if (isInternal(a)) {
                throw new Refused("host '" + host + "' resolves to " + a.getHostAddress()
                        + ", an internal address that outbound connections may not reach (see wharf.outbound.*)");
            }
        }
        return addresses[0];
    }

    static boolean isInternal(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || first >= 240 // "this network", reserved, broadcast
                    || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)); // benchmarking
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) { // unique local fc00::/7
                return true;
            }
            boolean v4Mapped = true;
            for (int i = 0; i < 10; i++) {
                v4Mapped &= b[i] == 0;
            }
            if (v4Mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isInternal(InetAddress.getByAddress(new byte[] { b[12], b[13], b[14], b[15] }));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
