package io.wharf.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Encrypts secrets at rest with AES-256-GCM. A value reads {@code enc:v1:<key id>:<base64url(iv|ciphertext)>},
 * so keys can rotate: new writes use the active key, old values still decrypt with theirs. The
 * associated data binds a ciphertext to its place (tenant, document, field): copied elsewhere, it
 * does not decrypt. Started eagerly so that a missing or malformed key stops start-up, not a request.
 */
@Startup
@ApplicationScoped
public class SecretCipher {

    public static final String PREFIX = "enc:v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final String activeKeyId;

    @Inject
    SecretCipher(CryptoConfig config) {
        this(config.keys(), config.activeKey());
    }

    /** The key material without CDI: {@code configuredKeys} and {@code activeKey} as wharf.crypto.keys and wharf.crypto.active-key. */
    SecretCipher(Optional<String> configuredKeys, Optional<String> activeKey) {
        String spec = configuredKeys.orElseThrow(() -> new IllegalStateException(
                "wharf.crypto.keys (WHARF_CRYPTO_KEYS) is not set: secrets cannot be encrypted. Set it to '<key id>:<base64 of 32 random bytes>', "
                        + "e.g. k1:$(head -c32 /dev/urandom | base64)"));
        for (String entry : spec.split(",")) {
            String[] kv = entry.trim().split(":", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalStateException("wharf.crypto.keys entries must be '<key id>:<base64 key>'");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(kv[1].trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("wharf.crypto.keys: key '" + kv[0] + "' is not base64");
            }
            if (raw.length != 32) {
                throw new IllegalStateException("wharf.crypto.keys: key '" + kv[0] + "' must be 32 bytes (AES-256), is " + raw.length);
            }
            keys.put(kv[0].trim(), new SecretKeySpec(raw, "AES"));
        }
        activeKeyId = activeKey.orElse(keys.keySet().iterator().next());
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalStateException("wharf.crypto.active-key '" + activeKeyId + "' is not among wharf.crypto.keys");
        }
    }

    public static boolean isEncrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    public String encrypt(String plainText, String context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plainText.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return PREFIX + activeKeyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    public String decrypt(String value, String context) {
        if (!isEncrypted(value)) {
            throw new IllegalArgumentException("Not an encrypted value");
        }
        String rest = value.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        SecretKeySpec key = colon < 0 ? null : keys.get(rest.substring(0, colon));
        if (key == null) {
            throw new IllegalStateException(
                    "No key '" + (colon < 0 ? "" : rest.substring(0, colon)) + "' in wharf.crypto.keys to decrypt a stored secret");
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(rest.substring(colon + 1));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A stored secret could not be decrypted (wrong key or tampered value)", e);
        }
    }
}
