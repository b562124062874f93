package io.wharf.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key material. A key is {@code wharf_<prefix>_<secret>}: 12 lowercase characters that identify it (safe
 * to store and show) and 256 random bits. Only the SHA-256 of the whole key is stored; a slow hash is not
 * needed because the secret is random, not chosen by a person. Keys inherited from the adapter service
 * have no prefix of ours, so theirs is derived from the hash.
 */
public final class ApiKeys {

    private static final Pattern WHARF_KEY = Pattern.compile("wharf_([a-z0-9]{12})_([A-Za-z0-9_-]{32,128})");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]{16,256}");
    private static final String PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public record Generated(String key, String prefix, String hash) {
    }

    public static Generated generate() {
        StringBuilder prefix = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            prefix.append(PREFIX_ALPHABET.charAt(RANDOM.nextInt(PREFIX_ALPHABET.length())));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = "wharf_" + prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Generated(key, prefix.toString(), hash(key));
    }

    /** The lookup prefix of a presented key, or empty when it cannot be a key at all. */
    public static Optional<String> prefixOf(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        Matcher m = WHARF_KEY.matcher(presented);
        if (m.matches()) {
            return Optional.of(m.group(1));
        }
        if (PRINTABLE.matcher(presented).matches()) {
            return Optional.of("lg" + hash(presented).substring(0, 14));
        }
        return Optional.empty();
    }

    /**
     * The bootstrap admin keys of the dev and test profiles (application.properties): they are public, so
     * outside those profiles they are refused, at start-up and at every request.
     */
    public static final Set<String> PUBLISHED = Set.of(
            "wharf_devadmin0000_local-development-only-key-do-not-use-in-prod",
            "wharf_testadmin000_test-suite-bootstrap-key-not-a-secret-0001");

    public static boolean isPublished(String key) {
        return key != null && PUBLISHED.contains(key.trim());
    }

    /** A configured bootstrap key must be one of ours: long, random, with a prefix. */
    public static boolean isWharfKey(String key) {
        return key != null && WHARF_KEY.matcher(key).matches();
    }

    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of a stored hash with the hash of a presented key. */
    public static boolean matches(String storedHash, String presentedHash) {
        return MessageDigest.isEqual(storedHash.getBytes(StandardCharsets.US_ASCII), presentedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
