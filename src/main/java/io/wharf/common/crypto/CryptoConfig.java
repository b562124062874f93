package io.wharf.common.crypto;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The keys that encrypt secrets at rest. */
@ConfigMapping(prefix = "wharf.crypto")
public interface CryptoConfig {

    /** {@code <key id>:<base64 of 32 bytes>[,...]}; every key that ever encrypted a stored secret. */
    Optional<String> keys();

    /** The key new secrets are encrypted with; the first of {@code keys} when unset. */
    Optional<String> activeKey();
}
