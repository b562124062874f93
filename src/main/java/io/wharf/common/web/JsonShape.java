package io.wharf.common.web;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks free-form JSON a client stores (a record's observation, an upload's metadata) against the limits of
 * its size, depth and number of keys, without writing more of it than the size limit.
 */
public final class JsonShape {

    /** What is wrong; {@code tooLarge} when it is the size or the number of keys (413), not the nesting (400). */
    public record Violation(String message, boolean tooLarge) {
    }

    private static final class Full extends RuntimeException {
        Full() {
            super(null, null, false, false);
        }
    }

    private JsonShape() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Optional<Violation> check(JsonNode node, JsonLimits limits) {
        int depth = depth(node, 1, limits.maxDepth());
        if (depth > limits.maxDepth()) {
            return Optional.of(new Violation("is nested more than " + limits.maxDepth() + " levels deep", false));
        }
        long keys = keys(node, limits.maxKeys());
        if (keys > limits.maxKeys()) {
            return Optional.of(new Violation("has more than " + limits.maxKeys() + " fields and array elements", true));
        }
        long max = limits.maxBytes().asLongValue();
        if (bytes(node, max) > max) {
            return Optional.of(new Violation("is more than " + max + " bytes of JSON", true));
        }
        return Optional.empty();
    }

    /** The depth, counted no further than one past {@code max}. */
    private static int depth(JsonNode node, int at, int max) {
        if (!node.isContainerNode() || at > max) {
            return at;
        }
        int deepest = at;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child, at + 1, max));
            if (deepest > max) {
                break;
            }
        }
        return deepest;
    }

    private static long keys(JsonNode node, int max) {
        long n = 0;
        for (Iterator<JsonNode> it = node.elements(); it.hasNext() && n <= max;) {
            JsonNode child = it.next();
            n += 1 + keys(child, max);
        }
        return n;
    }

    /** Bytes of the JSON, counted no further than one past {@code max}. */
    private static long bytes(JsonNode node, long max) {
        long[] count = { 0 };
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                add(1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                add(len);
            }

            private void add(int n) {
                count[0] += n;
                if (count[0] > max) {
                    throw new Full();
                }
            }
        };
        try {
            JSON.writeValue(counter, node);
        } catch (IOException | RuntimeException e) {
            if (count[0] > max) { // Full, as Jackson wrapped it
                return count[0];
            }
            throw new IllegalStateException(e);
        }
        return count[0];
    }
}
