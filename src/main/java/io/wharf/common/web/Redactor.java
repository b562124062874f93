package io.wharf.common.web;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * What may be written to logs, action payloads and audit diffs: secrets become a marker, and bulk
 * content (base64 images) is replaced by its size, at any depth.
 */
public final class Redactor {

    public static final String REDACTED = "***redacted***";
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|credential|api[_-]?key|key_hash|connection[_-]?string|authorization|private[_-]?key).*");
    private static final int MAX_TEXT = 2048;

    private Redactor() {
    }

    /** A redacted deep copy; the input is not changed. */
    public static JsonNode redact(JsonNode node) {
        if (node == null) {
            return null;
        }
        JsonNode copy = node.deepCopy();
        walk(copy);
        return copy;
    }

    public static boolean isSecretField(String name) {
        return SECRET_KEY.matcher(name).matches();
    }

    private static void walk(JsonNode node) {
        if (node.isObject()) {
            ObjectNode obj = (ObjectNode) node;
            Iterator<Map.Entry<String, JsonNode>> fields = obj.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (isSecretField(f.getKey()) && !f.getValue().isNull()) {
                    f.setValue(TextNode.valueOf(REDACTED));
                } else if (f.getValue().isTextual() && f.getValue().textValue().length() > MAX_TEXT) {
                    f.setValue(TextNode.valueOf("[" + f.getValue().textValue().length() + " characters omitted]"));
                } else {
                    walk(f.getValue());
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                if (item.isTextual() && item.textValue().length() > MAX_TEXT) {
                    ((ArrayNode) node).set(i,
                            TextNode.valueOf("[" + item.textValue().length() + " characters omitted]"));
                } else {
                    walk(item);
                }
            }
        }
    }
}
