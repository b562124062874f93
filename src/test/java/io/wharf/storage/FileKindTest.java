package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** File types are told by their first bytes, whatever the declared type says. */
@Tag("unit")
class FileKindTest {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[16];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void eachKindIsRecognised() {
        assertThat(FileKind.sniff(bytes(0xFF, 0xD8, 0xFF, 0xE0))).contains(FileKind.JPEG);
        assertThat(FileKind.sniff(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A))).contains(FileKind.PNG);
        assertThat(FileKind.sniff(bytes('R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'E', 'B', 'P'))).contains(FileKind.WEBP);
        assertThat(FileKind.sniff(bytes(0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'))).contains(FileKind.HEIC);
        assertThat(FileKind.sniff(bytes(0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'i', 'f', '1'))).contains(FileKind.HEIC);
        assertThat(FileKind.sniff("%PDF-1.7".getBytes(StandardCharsets.US_ASCII))).contains(FileKind.PDF);
    }

    @Test
    void othersAndDisguisesAreNot() {
        assertThat(FileKind.sniff("<html><body>".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(FileKind.sniff(bytes(0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'))).isEmpty(); // an MP4
        assertThat(FileKind.sniff(new byte[] { (byte) 0xFF, (byte) 0xD8 })).isEmpty();
        assertThat(FileKind.sniff(new byte[0])).isEmpty();
        assertThat(FileKind.forContentType("IMAGE/JPG; charset=binary")).contains(FileKind.JPEG);
        assertThat(FileKind.forContentType("image/svg+xml")).isEqualTo(Optional.empty());
    }

    @Test
    void theStoredTypeIsTheBytesKindElseOctetStream() {
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes(StandardCharsets.US_ASCII);
        assertThat(FileKind.storedType(svg, svg.length)).isEqualTo("application/octet-stream");
        byte[] png = bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        assertThat(FileKind.storedType(png, png.length)).isEqualTo("image/png");
        assertThat(FileKind.storedType(png, 4)).as("only the bytes there are count").isEqualTo("application/octet-stream");
        assertThat(FileKind.storedType(new byte[0], 0)).isEqualTo("application/octet-stream");
    }
}
