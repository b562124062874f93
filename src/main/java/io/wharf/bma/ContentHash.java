package io.wharf.bma;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** What makes two posted transactions the same: a hash of their content, independent of key order and spelling. */
final class ContentHash {

    private ContentHash() {
    }

    /**
     * SHA-256 of the body with object keys sorted at every depth, so that key order never changes a transaction's
     * hash. Fed to the digest piece by piece: the body may hold megabytes of base64.
     */
    static String of(JsonNode node) {
        MessageDigest md = BmaParser.digest();
        feed(node, md);
        return HexFormat.of().formatHex(md.digest());
    }

    private static void feed(JsonNode node, MessageDigest md) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            md.update((byte) '{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                if (!first) {
                    md.update((byte) ',');
                }
                md.update(JsonNodeFactory.instance.textNode(e.getKey()).toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) ':');
                feed(e.getValue(), md);
                first = false;
            }
            md.update((byte) '}');
        } else if (node.isArray()) {
            md.update((byte) '[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    md.update((byte) ',');
                }
                feed(node.get(i), md);
            }
            md.update((byte) ']');
        } else if (node.isBigDecimal()) {
            md.update(hashed(node.decimalValue()).getBytes(StandardCharsets.UTF_8));
        } else if (node.isTextual() && !needsEscape(node.textValue())) {
            // what toString() would write, without running a JSON generator over megabytes of base64
            md.update((byte) '"');
            md.update(node.textValue().getBytes(StandardCharsets.UTF_8));
            md.update((byte) '"');
        } else {
            md.update(node.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Whether Jackson escapes any character of the text: quotes, backslashes and control characters (non-ASCII it writes as is). */
    private static boolean needsEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    /** A decimal as it was hashed when the parser still stripped trailing zeros (100.0 as 1E+2), so stored hashes still match. */
    private static String hashed(BigDecimal d) {
        try {
            return d.stripTrailingZeros().toString();
        } catch (ArithmeticException e) {
            return d.toString();
        }
    }

}
