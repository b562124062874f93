package io.wharf.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The file types Wharf stores, told apart by their first bytes: a declared Content-Type is only a claim, and
 * a file served later under a type it does not have (HTML as image/png) is how stored files turn into attacks.
 */
public enum FileKind {
    JPEG("image/jpeg", "jpg", Set.of("image/jpg", "image/pjpeg")),
    PNG("image/png", "png", Set.of()),
    WEBP("image/webp", "webp", Set.of()),
    HEIC("image/heic", "heic", Set.of("image/heif", "image/heic-sequence", "image/heif-sequence")),
    PDF("application/pdf", "pdf", Set.of());

    /** Bytes needed to recognise every kind. */
    public static final int SNIFF_BYTES = 16;

    private static final Set<String> HEIF_BRANDS = Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1");

    private final String contentType;
    private final String extension;
    private final Set<String> aliases;

    FileKind(String contentType, String extension, Set<String> aliases) {
        this.contentType = contentType;
        this.extension = extension;
        this.aliases = aliases;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    /** The kind a declared Content-Type names (parameters and case ignored), if Wharf stores it. */
    public static Optional<FileKind> forContentType(String declared) {
        if (declared == null) {
            return Optional.empty();
        }
        String t = declared.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.contentType.equals(t) || k.aliases.contains(t)).findFirst();
    }

    /** The kind the bytes are, whatever anyone says they are. */
    public static Optional<FileKind> sniff(byte[] b) {
        if (starts(b, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        if (starts(b, 4, 'f', 't', 'y', 'p') && b.length >= 12
                && HEIF_BRANDS.contains(new String(b, 8, 4, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT))) {
            return Optional.of(HEIC);
        }
        if (starts(b, 0, '%', 'P', 'D', 'F', '-')) {
            return Optional.of(PDF);
        }
        return Optional.empty();
    }

    /** The type stored for bytes of no kind Wharf knows: served as a download, never rendered. */
    public static final String UNKNOWN = "application/octet-stream";

    /** The Content-Type to store the first {@code length} bytes under: their kind's, else {@link #UNKNOWN}. */
    public static String storedType(byte[] bytes, int length) {
        return sniff(Arrays.copyOf(bytes, Math.min(Math.max(length, 0), SNIFF_BYTES))).map(FileKind::contentType).orElse(UNKNOWN);
    }

    /** For messages: the types Wharf accepts. */
    public static String accepted() {
        return String.join(", ", List.of(values()).stream().map(FileKind::contentType).toList());
    }

    private static boolean starts(byte[] b, int at, int... expected) {
        if (b.length < at + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((b[at + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
