package io.wharf.common.net;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Connections Wharf opens on a tenant's behalf (image URLs, connection tests) and the names it looks up for them. */
@ConfigMapping(prefix = "wharf.outbound")
public interface OutboundConfig {

    /** Allow connections to loopback, private, link-local and other internal addresses (off: SSRF protection). */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /**
     * Host names that may be reached even though they resolve to internal addresses, as {@code host},
     * {@code host:port} or {@code host:*} (image URLs; connection tests match the name only).
     */
    Optional<List<String>> allowedHosts();

    /** Ports a tenant's image URL (and every redirect from it) may use, so that no URL reaches a host's other services. */
    @WithDefault("80,443")
    List<Integer> allowedPorts();

    /** Time limit for a connection test. */
    @WithDefault("5")
    int timeoutSeconds();

    /** Bytes of an HTTP test's response body read at most; the rest is never downloaded. */
    @WithDefault("65536")
    int maxResponseBytes();

    /** Connection tests one tenant may run at once; more answer 429, so one client cannot hold every worker thread. */
    @WithDefault("2")
    int maxConcurrentTestsPerTenant();

    /** DNS servers ({@code host} or {@code host:port}) for outbound name lookups; unset: those of /etc/resolv.conf. */
    Optional<List<String>> dnsServers();

    /** One DNS query's wait for an answer; a server that stays silent longer is asked again or the next one is. */
    @WithDefault("3s")
    Duration dnsQueryTimeout();

    /** Name lookups one tenant may have in flight; more fail at once, so its unanswered names cannot hold others'. */
    @WithDefault("8")
    int dnsMaxLookupsPerTenant();
}
