package io.wharf.common.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.wharf.common.work.TenantSlots;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Name lookups for outbound connections, asynchronous (Netty's DNS resolver: /etc/hosts first, then the
 * configured or /etc/resolv.conf servers), so a name whose server never answers holds no thread, only a
 * place among its owner's lookups in flight. A tenant has a few such places; beyond them its lookups fail
 * at once ({@link OutboundAddressPolicy.Busy}), and another tenant's lookups never wait for them.
 */
@ApplicationScoped
public class HostResolver {

    /**
     * The operator's own lookups (the migration's fetches): bounded by the migration's copy threads already,
     * so they take no tenant's places and are never refused as busy. The nil UUID is never a tenant's id.
     */
    public static final UUID OPERATOR = new UUID(0, 0);

    private static final int MAX_TTL_SECONDS = 60; // bounds how long (and so how many) names a tenant can keep in the cache
    private static final int NEGATIVE_TTL_SECONDS = 5;

    private final EventLoopGroup loop;
    private final DnsNameResolver resolver;
    private final TenantSlots inFlight;

    @Inject
    HostResolver(OutboundConfig config) {
        this(config.dnsServers().orElse(List.of()), config.dnsQueryTimeout(), config.dnsMaxLookupsPerTenant());
    }

    /** servers as {@code host[:port]} addresses; empty: the system's (/etc/resolv.conf). */
    HostResolver(List<String> servers, Duration queryTimeout, int maxPerOwner) {
        this.inFlight = new TenantSlots(maxPerOwner);
        this.loop = new NioEventLoopGroup(1, new DefaultThreadFactory("wharf-dns", true));
        DnsServerAddressStreamProvider nameServers = servers.isEmpty() ? DnsServerAddressStreamProviders.platformDefault()
                : new SequentialDnsServerAddressStreamProvider(servers.stream().map(HostResolver::server).toArray(InetSocketAddress[]::new));
        this.resolver = new DnsNameResolverBuilder(loop.next())
                .datagramChannelType(NioDatagramChannel.class)
                .nameServerProvider(nameServers)
                .queryTimeoutMillis(Math.max(1, queryTimeout.toMillis()))
                // the JDK's order: IPv4 first, but every address is returned so that the policy judges them all
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                .ttl(0, MAX_TTL_SECONDS)
                .negativeTtl(NEGATIVE_TTL_SECONDS)
                .build();
    }

    static InetSocketAddress server(String entry) {
        String s = entry.trim();
        String host = s;
        int port = 53;
        if (s.startsWith("[") && s.contains("]")) {
            host = s.substring(1, s.indexOf(']'));
            String rest = s.substring(s.indexOf(']') + 1);
            port = rest.startsWith(":") ? Integer.parseInt(rest.substring(1)) : 53;
        } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
        }
        if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host) || port < 1 || port > 65535) {
            // a server given by name would need a lookup of its own before any lookup could run
            throw new IllegalArgumentException("wharf.outbound.dns-servers: '" + entry + "' is not an address with an optional port");
        }
        return new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host), port);
    }

    @PreDestroy
    void close() {
        resolver.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** The addresses of host for owner (a tenant's id, or {@link #OPERATOR}), by deadlineNanos at the latest. */
    InetAddress[] lookup(String host, UUID owner, long deadlineNanos) throws OutboundAddressPolicy.Refused {
        Objects.requireNonNull(owner, "owner");
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new OutboundAddressPolicy.TimedOut("no time left to resolve '" + host + "'");
        }
        // the operator's lookups are bounded by the copy threads already: they take no tenant's place
        TenantSlots.Permit place = OPERATOR.equals(owner) ? () -> {
        } : inFlight.tryAcquire(owner).orElseThrow(() -> new OutboundAddressPolicy.Busy(
                "this tenant already has " + inFlight.max() + " name lookups in progress; try again shortly"));
        Future<List<InetAddress>> lookup;
        try {
            lookup = resolver.resolveAll(host);
        } catch (RuntimeException e) {
            place.close();
            throw new OutboundAddressPolicy.TimedOut("looking up '" + host + "' failed for now; try again shortly");
        }
        // the place is held until the lookup ends, which is at the caller's deadline at the latest (cancelled below)
        lookup.addListener(done -> place.close());
        try {
            if (!lookup.await(remaining, TimeUnit.NANOSECONDS)) {
                lookup.cancel(false);
                throw new OutboundAddressPolicy.TimedOut("host '" + host + "' did not resolve in time");
            }
        } catch (InterruptedException e) {
            lookup.cancel(false);
            Thread.currentThread().interrupt();
            throw new OutboundAddressPolicy.TimedOut("interrupted while resolving '" + host + "'");
        }
        if (lookup.isSuccess() && !lookup.getNow().isEmpty()) {
            return lookup.getNow().toArray(InetAddress[]::new);
        }
        if (transientFailure(lookup.cause())) {
            throw new OutboundAddressPolicy.TimedOut("looking up '" + host + "' failed for now; try again shortly");
        }
        throw new OutboundAddressPolicy.Refused("host '" + host + "' does not resolve");
    }

    /** A server that did not answer, answered SERVFAIL, or could not be asked: the name may well resolve later. */
    private static boolean transientFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DnsNameResolverTimeoutException || t instanceof IOException && !(t instanceof UnknownHostException)) {
                return true;
            }
            if (t instanceof DnsErrorCauseException e && e.getCode() != null && e.getCode().intValue() == 2) { // SERVFAIL
                return true;
            }
        }
        return false;
    }
}
