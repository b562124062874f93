package io.wharf.bma;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;

/**
 * The request body as a JSON tree: within the size limit, one value, no field given twice (which would be
 * ambiguous), and numbers kept exactly (a double would turn 1e400 into Infinity).
 */
final class BmaJson {

    private BmaJson() {
    }

    static JsonNode read(ObjectMapper mapper, byte[] body, long limit) {
        if (body.length > limit) {
            throw new WharfException(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is " + body.length + " bytes; this endpoint accepts at most "
                    + limit + " bytes (wharf.bma.max-body-size).");
        }
        if (body.length == 0) {
            throw new WharfException(ErrorCode.MALFORMED_JSON, "The request body is empty; send the transaction as a JSON object.");
        }
        try {
            return mapper.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    // 100.0 stays 100.0, as it is stored and read back, instead of becoming 1E+2
                    .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                    .readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            String what = e instanceof JsonParseException && e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? ": a field is given twice" : "";
            throw new WharfException(ErrorCode.MALFORMED_JSON, "The request body is not valid JSON" + where + what + ".");
        } catch (IOException e) {
            throw new WharfException(ErrorCode.MALFORMED_JSON, "The request body could not be read as JSON.");
        }
    }
}
