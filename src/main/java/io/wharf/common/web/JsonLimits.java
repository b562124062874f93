package io.wharf.common.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * Limits of free-form JSON a client stores (a record's observation, an upload's metadata), as a group of the
 * feature's settings: every byte is stored again per image and every value is an index entry.
 */
public interface JsonLimits {

    /** Bytes of the JSON as Wharf writes it. */
    @WithDefault("16K")
    @WithConverter(MemorySizeConverter.class)
    MemorySize maxBytes();

    /** Nested objects and arrays; the value itself is depth 1. */
    @WithDefault("10")
    int maxDepth();

    /** Object fields and array elements at every depth. */
    @WithDefault("500")
    int maxKeys();
}
