package io.wharf.devservices;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Dev mode only, ignored in every other profile. {@link DevServicesConfigSourceFactory} reads these by name because
 * it runs while the configuration is being built, before any mapping exists; this mapping declares them (names,
 * defaults) like every other setting. Unremovable: nothing injects it, and an unused mapping would be dropped, leaving
 * these keys mapped by no root (a start then fails on them).
 */
@Unremovable
@ConfigMapping(prefix = "wharf.local-services")
public interface LocalServicesConfig {

    /** Create the local database and start S3Proxy when no S3 endpoint is set. */
    @WithDefault("false")
    boolean enabled();

    @WithDefault("4.1.0")
    String s3proxyVersion();
}
