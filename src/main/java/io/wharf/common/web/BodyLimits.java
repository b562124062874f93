package io.wharf.common.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * The request body limits of the routes {@link BodySizeLimit} recognises before routing. They are the web
 * plumbing's, not the features', because they are enforced before any feature code runs;
 * quarkus.http.limits.max-body-size stays the service-wide ceiling above both.
 */
@ConfigMapping(prefix = "wharf")
public interface BodyLimits {

    Documents documents();

    Bma bma();

    interface Documents {
        /**
         * The largest body a document route reads (documents are at most 1,000,000 bytes of JSON); larger ones
         * get 413 before they are parsed.
         */
        @WithDefault("1M")
        @WithConverter(MemorySizeConverter.class)
        MemorySize maxBodySize();
    }

    interface Bma {
        /** The largest BMA ingestion body read; larger ones get 413. */
        @WithDefault("20M")
        @WithConverter(MemorySizeConverter.class)
        MemorySize maxBodySize();
    }
}
