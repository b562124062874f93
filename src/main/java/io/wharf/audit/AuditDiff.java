package io.wharf.audit;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.web.Redactor;

/**
 * The {@code changes} column of an audit row, kept apart from the service that writes it so that what
 * an auditor sees (and that no secret reaches the trail) is decided by one pure function.
 */
final class AuditDiff {

    private AuditDiff() {
    }

    /**
     * {@code {"before": ..., "after": ...}}, secrets redacted. before is null for a creation, after is null for a
     * deletion; for an update of two objects only changed fields are kept, a removed field being null after.
     */
    static ObjectNode of(JsonNode before, JsonNode after) {
        return diff(Redactor.redact(before), Redactor.redact(after));
    }

    private static ObjectNode diff(JsonNode before, JsonNode after) {
        ObjectNode changes = JsonNodeFactory.instance.objectNode();
        if (before == null || after == null || !before.isObject() || !after.isObject()) {
            changes.set("before", before);
            changes.set("after", after);
            return changes;
        }
        ObjectNode b = changes.putObject("before");
        ObjectNode a = changes.putObject("after");
        Iterator<Map.Entry<String, JsonNode>> fields = after.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode old = before.get(f.getKey());
            if (old == null || !old.equals(f.getValue())) {
                b.set(f.getKey(), old);
                a.set(f.getKey(), f.getValue());
            }
        }
        before.fieldNames().forEachRemaining(name -> {
            if (!after.has(name)) {
                b.set(name, before.get(name));
                a.putNull(name);
            }
        });
        return changes;
    }
}
