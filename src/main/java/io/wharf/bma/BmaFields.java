package io.wharf.bma;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The checks of single fields of a posted transaction (required, type, length, range, no control characters),
 * each adding its mistake with the field's JSON Pointer to the errors instead of stopping.
 */
final class BmaFields {

    private BmaFields() {
    }

    /** Free-form JSON PostgreSQL can store: no NUL in names or strings, numbers within numeric's range. */
    static void storable(JsonNode node, String at, FieldErrors errors) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String p = FieldErrors.pointer(at, e.getKey());
                if (e.getKey().indexOf('\u0000') >= 0) {
                    errors.add(p, "a field name must not contain the NUL character");
                } else {
                    storable(e.getValue(), p, errors);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                storable(node.get(i), FieldErrors.pointer(at, i), errors);
            }
        } else if (node.isTextual() && node.textValue().indexOf('\u0000') >= 0) {
            errors.add(at, "must not contain the NUL character");
        } else if (node.isNumber() && !finite(node)) {
            errors.add(at, "is a number too large or too precise to store");
        }
    }

    static boolean finite(JsonNode n) {
        if (n.isDouble() || n.isFloat()) {
            return Double.isFinite(n.doubleValue());
        }
        if (n.isBigDecimal()) {
            BigDecimal d = n.decimalValue();
            return d.precision() - d.scale() <= 1000 && d.scale() <= 1000;
        }
        return !n.isBigInteger() || n.bigIntegerValue().bitLength() <= 3000;
    }

    static void unknown(JsonNode node, Set<String> known, String at, FieldErrors errors) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(FieldErrors.pointer(at, name), "is not a field of this object");
            }
        }
    }

    /** The field's value; null (and, when required, an error) when it is absent or JSON null. */
    static JsonNode present(JsonNode parent, String name, String at, boolean required, FieldErrors errors) {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(FieldErrors.pointer(at, name), "is required");
            }
            return null;
        }
        return v;
    }

    static String text(JsonNode parent, String name, String at, int max, boolean required, FieldErrors errors) {
        JsonNode v = present(parent, name, at, required, errors);
        String p = FieldErrors.pointer(at, name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            errors.add(p, "must be a string");
            return null;
        }
        String s = v.textValue().strip();
        if (s.isEmpty()) {
            errors.add(p, "must not be empty");
            return null;
        }
        if (s.length() > max) {
            errors.add(p, "must be at most " + max + " characters");
            return null;
        }
        if (s.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f)) {
            errors.add(p, "must not contain control characters");
            return null;
        }
        return s;
    }

    static void number(JsonNode parent, String name, String at, BigDecimal min, BigDecimal max, boolean required, FieldErrors errors) {
        JsonNode v = present(parent, name, at, required, errors);
        String p = FieldErrors.pointer(at, name);
        if (v == null) {
            return;
        }
        if (!v.isNumber()) {
            errors.add(p, "must be a number" + (v.isTextual() ? ", not a string" : ""));
            return;
        }
        if (!finite(v)) {
            errors.add(p, "must be from " + min.toPlainString() + " to " + max.toPlainString());
            return;
        }
        BigDecimal d = v.decimalValue();
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            errors.add(p, "must be from " + min.toPlainString() + " to " + max.toPlainString());
        }
    }

    static JsonNode object(JsonNode parent, String name, String at, boolean required, FieldErrors errors) {
        JsonNode v = present(parent, name, at, required, errors);
        String p = FieldErrors.pointer(at, name);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            errors.add(p, "must be an object");
            return null;
        }
        return v;
    }
}
