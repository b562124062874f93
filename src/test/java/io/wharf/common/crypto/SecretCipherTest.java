package io.wharf.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Round trips, rotation, and every way a stored value can fail to decrypt, without CDI. */
@Tag("unit")
class SecretCipherTest {

    private static final String K1 = "k1:" + key(1);
    private static final String K2 = "k2:" + key(2);
    private static final String CONTEXT = "tenant-a/connector_profile/p1/password";

    private static String key(int fill) {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) fill);
        return Base64.getEncoder().encodeToString(raw);
    }

    private static SecretCipher cipher(String keys) {
        return new SecretCipher(Optional.of(keys), Optional.empty());
    }

    private static SecretCipher cipher(String keys, String active) {
        return new SecretCipher(Optional.of(keys), Optional.of(active));
    }

    @Test
    void roundTripsAndNamesTheKey() {
        SecretCipher c = cipher(K1);
        String stored = c.encrypt("s3cr3t ünïcødé", CONTEXT);
        assertThat(stored).startsWith("enc:v1:k1:").doesNotContain("s3cr3t");
        assertThat(SecretCipher.isEncrypted(stored)).isTrue();
        assertThat(c.decrypt(stored, CONTEXT)).isEqualTo("s3cr3t ünïcødé");
        assertThat(c.decrypt(c.encrypt("", CONTEXT), CONTEXT)).isEmpty();
    }

    @Test
    void eachEncryptionUsesAFreshIv() {
        SecretCipher c = cipher(K1);
        assertThat(c.encrypt("same", CONTEXT)).isNotEqualTo(c.encrypt("same", CONTEXT));
    }

    @Test
    void onlyThePrefixMarksAValueEncrypted() {
        assertThat(SecretCipher.isEncrypted(null)).isFalse();
        assertThat(SecretCipher.isEncrypted("plain")).isFalse();
        assertThat(SecretCipher.isEncrypted("enc:v2:k1:abc")).isFalse();
        assertThat(SecretCipher.isEncrypted("enc:v1:")).isTrue();
        assertThatThrownBy(() -> cipher(K1).decrypt("plain", CONTEXT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCiphertextCopiedToAnotherPlaceDoesNotDecrypt() {
        SecretCipher c = cipher(K1);
        String stored = c.encrypt("pw", CONTEXT);
        assertThatThrownBy(() -> c.decrypt(stored, "tenant-b/connector_profile/p1/password"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("wrong key or tampered");
        assertThatThrownBy(() -> c.decrypt(stored, "")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTamperedCiphertextDoesNotDecrypt() {
        SecretCipher c = cipher(K1);
        String stored = c.encrypt("a secret long enough to flip bits in", CONTEXT);
        String prefix = "enc:v1:k1:";
        byte[] body = Base64.getUrlDecoder().decode(stored.substring(prefix.length()));
        for (int i : new int[] { 0, 11, 12, body.length / 2, body.length - 1 }) { // iv, ciphertext, tag
            byte[] flipped = body.clone();
            flipped[i] ^= 1;
            String tampered = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(flipped);
            assertThatThrownBy(() -> c.decrypt(tampered, CONTEXT)).as("byte " + i).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("wrong key or tampered");
        }
        assertThatThrownBy(() -> c.decrypt(stored.substring(0, stored.length() - 4), CONTEXT)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.decrypt(prefix + "not*base64", CONTEXT)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.decrypt(prefix + "AAAA", CONTEXT)).as("shorter than an iv").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aValueUnderAnotherKeyWithTheSameIdDoesNotDecrypt() {
        String stored = cipher(K1).encrypt("pw", CONTEXT);
        assertThatThrownBy(() -> cipher("k1:" + key(9)).decrypt(stored, CONTEXT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrong key or tampered");
    }

    @Test
    void rotationWritesWithTheActiveKeyAndRetiredKeysStillDecrypt() {
        String old = cipher(K1).encrypt("old", CONTEXT);
        SecretCipher rotated = cipher(K1 + "," + K2, "k2");
        String fresh = rotated.encrypt("new", CONTEXT);
        assertThat(fresh).startsWith("enc:v1:k2:");
        assertThat(rotated.decrypt(old, CONTEXT)).isEqualTo("old");
        assertThat(rotated.decrypt(fresh, CONTEXT)).isEqualTo("new");
        assertThatThrownBy(() -> cipher(K1).decrypt(fresh, CONTEXT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No key 'k2'");
    }

    @Test
    void theFirstKeyIsActiveWhenNoneIsNamedAndBlanksAroundEntriesAreIgnored() {
        SecretCipher c = cipher(" k2 : " + key(2) + " , " + K1);
        assertThat(c.encrypt("x", CONTEXT)).startsWith("enc:v1:k2:");
    }

    @Test
    void aValueWithoutAKeyIdIsRefused() {
        assertThatThrownBy(() -> cipher(K1).decrypt("enc:v1:nocolon", CONTEXT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No key ''");
    }

    @Test
    void theConstructorRefusesMissingOrMalformedKeys() {
        assertThatThrownBy(() -> new SecretCipher(Optional.empty(), Optional.empty())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not set");
        assertThatThrownBy(() -> cipher("k1")).isInstanceOf(IllegalStateException.class).hasMessageContaining("entries must be");
        assertThatThrownBy(() -> cipher(":" + key(1))).isInstanceOf(IllegalStateException.class).hasMessageContaining("entries must be");
        assertThatThrownBy(() -> cipher("k1:***")).isInstanceOf(IllegalStateException.class).hasMessageContaining("is not base64");
        assertThatThrownBy(() -> cipher("k1:" + Base64.getEncoder().encodeToString(new byte[16]))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be 32 bytes").hasMessageContaining("is 16");
        assertThatThrownBy(() -> cipher(K1, "k2")).isInstanceOf(IllegalStateException.class).hasMessageContaining("is not among");
    }
}
