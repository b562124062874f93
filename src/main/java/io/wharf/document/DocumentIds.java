package io.wharf.document;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;

/** Rules every document shares: what an id may look like, and what PostgreSQL JSONB can store. */
public final class DocumentIds {

    /** Letters, digits and . _ : - ; no slashes, spaces or control characters (ids appear in URLs and logs). */
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._:-]{0,254}";
    public static final String MESSAGE = "must be 1-255 characters: letters, digits, '.', '_', ':' or '-', starting with a letter or digit";
    private static final Pattern ID = Pattern.compile(PATTERN);
    static final int MAX_DOCUMENT_BYTES = 1_000_000;
    /** PostgreSQL's numeric (and so JSONB's numbers): 131072 digits before the decimal point, 16383 after. */
    static final int MAX_NUMERIC_INTEGER_DIGITS = 131072;
    static final int MAX_NUMERIC_SCALE = 16383;

    private DocumentIds() {
    }

    /** The id of a new document; on replace, a body id must equal the path id. */
    public static String resolve(String field, String bodyId, String pathId) {
        String id = pathId != null ? pathId : bodyId;
        if (id == null || id.isBlank()) {
            throw WharfException.invalid(field, "is required");
        }
        if (!ID.matcher(id).matches()) {
            throw WharfException.invalid(field, MESSAGE);
        }
        if (pathId != null && bodyId != null && !bodyId.equals(pathId)) {
            throw WharfException.invalid(field, "is '" + bodyId + "' in the body but '" + pathId + "' in the URL; the id cannot be changed");
        }
        return id;
    }

    /** PostgreSQL refuses U+0000 in JSONB text; oversized documents would bloat every read. */
    static void checkStorable(ObjectNode data) {
        String json = data.toString();
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_DOCUMENT_BYTES) {
            throw new WharfException(ErrorCode.PAYLOAD_TOO_LARGE, "A document may hold at most " + MAX_DOCUMENT_BYTES + " bytes of JSON.");
        }
        if (containsNul(data)) {
            throw new WharfException(ErrorCode.VALIDATION_FAILED, "Text values must not contain the NUL character (\\u0000).");
        }
        if (hasUnstorableNumber(data)) {
            throw new WharfException(ErrorCode.VALIDATION_FAILED, "Numbers must be finite and within PostgreSQL's numeric range"
                    + " (at most " + MAX_NUMERIC_INTEGER_DIGITS + " digits before and " + MAX_NUMERIC_SCALE + " after the decimal point).");
        }
    }

    /** Whether an id taken from a URL can name a stored document at all; others are not looked up (NUL would fail the query). */
    static boolean lookupable(String id) {
        return id != null && !id.isEmpty() && id.length() <= 255 && id.indexOf('\u0000') < 0;
    }

    /** Infinity from a double overflow prints as JSON that JSONB refuses; huge exponents overflow JSONB's numeric. */
    private static boolean hasUnstorableNumber(JsonNode node) {
        if (node.isNumber()) {
            if (node.isFloatingPointNumber() && !node.isBigDecimal()) {
                return !Double.isFinite(node.doubleValue());
            }
            if (node.isBigDecimal()) {
                BigDecimal d = node.decimalValue();
                return d.scale() > MAX_NUMERIC_SCALE || (long) d.precision() - d.scale() > MAX_NUMERIC_INTEGER_DIGITS;
            }
            return false;
        }
        for (JsonNode child : node) {
            if (hasUnstorableNumber(child)) {
                return true;
            }
        }
        return false;
    }

    /** Absent and null are the same to a document: null fields are not stored. */
    static void compact(ObjectNode data) {
        data.properties().removeIf(e -> e.getValue() == null || e.getValue().isNull());
    }

    private static boolean containsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\u0000') >= 0;
        }
        for (var it = node.fields(); it.hasNext();) {
            var f = it.next();
            if (f.getKey().indexOf('\u0000') >= 0 || containsNul(f.getValue())) {
                return true;
            }
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (containsNul(item)) {
                    return true;
                }
            }
        }
        return false;
    }
}
