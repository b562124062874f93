package io.wharf.bma;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Numbers are now kept as sent (100.0 stays 100.0), but a transaction's content hash treats them as it always did:
 * 100.0, 1e2 and 1E+2 are one number, as before, so a transaction stored before still answers 200 to a repost.
 */
@Tag("unit")
class ContentHashTest {

    private static String hash(String json) {
        return ContentHash.of(BmaJson.read(new ObjectMapper(), json.getBytes(StandardCharsets.UTF_8), 1 << 20));
    }

    @Test
    void decimalsHashAsTheyDidBeforeTheyWereKeptAsSent() {
        assertThat(hash("{\"q\": 100.0, \"o\": {\"b\": 1, \"a\": 0.50}}")).isEqualTo(hash("{\"o\": {\"a\": 5e-1, \"b\": 1}, \"q\": 1E+2}"))
                .isEqualTo(hash("{\"q\": 1e2, \"o\": {\"a\": 0.5000, \"b\": 1}}"));
        // the stored hash of {"q": 100.0} from before: SHA-256 of {"q":1E+2}
        assertThat(hash("{\"q\": 100.0}"))
                .isEqualTo(HexFormat.of().formatHex(BmaParser.sha256("{\"q\":1E+2}".getBytes(StandardCharsets.UTF_8))));
        assertThat(hash("{\"q\": 0.0}"))
                .isEqualTo(HexFormat.of().formatHex(BmaParser.sha256("{\"q\":0}".getBytes(StandardCharsets.UTF_8))));
        // an integer was always another spelling
        assertThat(hash("{\"q\": 100}")).isNotEqualTo(hash("{\"q\": 100.0}"));
    }

    /** Strings hash as the JSON Jackson writes for them, escapes included, as stored hashes were computed. */
    @Test
    void stringsHashAsTheirJsonSpelling() {
        String[] texts = { "plain base64+/=", "caf\u00e9 \u2028 \u007f", "quote \" and \\ backslash", "tab\tnewline\n\u0001", "" };
        for (String text : texts) {
            String json = new ObjectMapper().createObjectNode().put("s", text).toString();
            assertThat(hash(json)).as(json).isEqualTo(HexFormat.of().formatHex(BmaParser.sha256(json.getBytes(StandardCharsets.UTF_8))));
        }
    }
}
