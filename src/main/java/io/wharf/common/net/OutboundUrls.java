package io.wharf.common.net;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The two policies for URLs Wharf fetches. A tenant's URL (an external image, and every redirect reached from it)
 * gets wharf.outbound.* only, at ingestion and at the fetch alike; a URL the operator's scan took from the seed
 * tables also gets the copy's allow-list ({@link OperatorHosts}: the legacy file server), which a tenant's URL never reaches.
 */
@ApplicationScoped
@Startup // a malformed allow-list entry or port stops the start, not the first request that needs it
public class OutboundUrls {

    private final OutboundUrlPolicy tenant;
    private final OutboundUrlPolicy operator;

    OutboundUrls(OutboundAddressPolicy addresses, OutboundConfig outboundConfig, OperatorHosts operatorHosts,
            @ConfigProperty(name = "quarkus.s3.endpoint-override") Optional<URI> s3) {
        Set<Integer> ports = new HashSet<>(outboundConfig.allowedPorts());
        for (int p : ports) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("wharf.outbound.allowed-ports lists " + p + ", not a port 1-65535");
            }
        }
        List<AllowedHost> outbound = AllowedHost.parse(outboundConfig.allowedHosts().orElse(List.of()));
        List<AllowedHost> legacy = new ArrayList<>(outbound);
        legacy.addAll(AllowedHost.parse(operatorHosts.allowed()));
        Optional<OwnEndpoint> endpoint = OwnEndpoint.of(s3);
        this.tenant = new OutboundUrlPolicy("a tenant", addresses, outbound, ports, endpoint);
        this.operator = new OutboundUrlPolicy("the migration of a seed table", addresses, legacy, ports, endpoint);
    }

    /** For a tenant's URL and every redirect from it. */
    public OutboundUrlPolicy tenant() {
        return tenant;
    }

    /** For a URL of the seed tables, queued by the operator's scan. */
    public OutboundUrlPolicy operator() {
        return operator;
    }
}
