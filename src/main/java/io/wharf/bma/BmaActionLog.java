package io.wharf.bma;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.audit.ActionLog;
import io.wharf.audit.ActionLogService;
import io.wharf.common.error.WharfException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One action_logs row per ingestion call, refused ones included, in a transaction of its own. The payload is
 * the request with each inline image's bytes replaced by their size and SHA-256, so the log says what was
 * sent without holding the photos.
 */
@ApplicationScoped
class BmaActionLog {

    private static final Logger LOG = Logger.getLogger(BmaActionLog.class);
    private static final int MAX_DETAIL = 2000;

    private final ActionLogService actions;
    private final ObjectMapper mapper;
    private final long maxPayload;

    BmaActionLog(ActionLogService actions, ObjectMapper mapper, BmaConfig config) {
        this.actions = actions;
        this.mapper = mapper;
        this.maxPayload = config.maxLoggedPayload().asLongValue();
    }

    /** Never throws: a log that cannot be written must not change the answer. */
    void record(UUID tenant, byte[] body, JsonNode tree, Ingest parsed, BmaIngestService.Outcome outcome, RuntimeException failure,
            long elapsedNanos) {
        try {
            ObjectNode response = mapper.createObjectNode();
            if (outcome != null) {
                response.put("status", outcome.status());
                JsonNode answer = mapper.readTree(outcome.json());
                response.set("transaction_id", answer.get("transaction_id"));
                response.set("file_ids",
                        answer.findValues("file_id").stream().collect(mapper::createArrayNode, (a, v) -> a.add(v), (a, b) -> a.addAll(b)));
            } else if (failure instanceof WharfException w) {
                response.put("status", w.code().status());
                response.put("type", w.code().type());
                response.put("detail", w.getMessage());
                if (w.extensions().get("errors") != null) {
                    response.set("errors", mapper.valueToTree(w.extensions().get("errors")));
                }
            } else {
                response.put("status", 500);
                response.put("detail", failure == null ? "unknown" : failure.getClass().getSimpleName());
            }
            boolean ok = outcome != null;
            actions.record(
                    new ActionLogService.Entry(tenant, ActionLog.Type.bma_transaction, "bma", bounded(withoutNul(payload(body, tree, parsed)), body),
                            bounded(withoutNul(response), null), // a refusal lists an error per offending field, of which a huge body has many
                            ok ? ActionLog.Status.success : ActionLog.Status.failure,
                            ok ? null : shortened(withoutNul(response.path("detail")).asText(null)),
                            elapsedNanos / 1_000_000));
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.warnf("Could not write the action log of a BMA ingestion: %s", e.toString());
        }
    }

    /**
     * The payload (or, without a body, the response), or, when it is larger than wharf.bma.max-logged-payload, its
     * beginning as text marked as cut, with the size and SHA-256 of the whole body: a refused body of megabytes
     * must not cost megabytes of log.
     */
    private JsonNode bounded(JsonNode payload, byte[] body) throws JsonProcessingException {
        String text = mapper.writeValueAsString(payload);
        if (text.getBytes(StandardCharsets.UTF_8).length <= maxPayload) {
            return payload;
        }
        // characters, not bytes: a cut never splits a character; escaped in JSON each takes at most 6 bytes
        int keep = (int) Math.max(0, Math.min(text.length(), (maxPayload - 512) / 6));
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        ObjectNode cut = mapper.createObjectNode();
        cut.put("truncated", true);
        if (body != null) {
            cut.put("bytes", body.length).put("sha256", HexFormat.of().formatHex(BmaParser.sha256(body)));
        } else if (payload.has("status")) {
            cut.set("status", payload.get("status"));
        }
        return cut.put("logged_json_chars", text.length()).put("excerpt", text.substring(0, keep));
    }

    /** The refusal's detail names every offending field, of which a huge body has many; the log keeps its beginning. */
    private static String shortened(String detail) {
        return detail == null || detail.length() <= MAX_DETAIL ? detail
                : detail.substring(0, MAX_DETAIL) + "... (" + detail.length() + " characters)";
    }

    /** What JSONB cannot hold (NUL, numbers beyond numeric): a refused request may well contain them, and its log must still be written. */
    private JsonNode withoutNul(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue().indexOf('\u0000') < 0 ? node : mapper.getNodeFactory().textNode(node.textValue().replace('\u0000', '\uFFFD'));
        }
        if (node.isObject()) {
            ObjectNode out = mapper.createObjectNode();
            node.fields().forEachRemaining(e -> out.set(e.getKey().replace('\u0000', '\uFFFD'), withoutNul(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = mapper.createArrayNode();
            node.forEach(v -> out.add(withoutNul(v)));
            return out;
        }
        if (node.isNumber() && !BmaFields.finite(node)) { // JSONB's numeric cannot hold it either
            String text = node.asText();
            return mapper.getNodeFactory().textNode(text.length() > 40 ? text.substring(0, 40) + "..." : text);
        }
        return node;
    }

    private JsonNode payload(byte[] body, JsonNode tree, Ingest parsed) {
        if (tree == null) {
            ObjectNode unparsed = mapper.createObjectNode();
            unparsed.putObject("unparsed_body").put("bytes", body.length).put("sha256", HexFormat.of().formatHex(BmaParser.sha256(body)));
            return unparsed;
        }
        Map<String, Ingest.InlineImage> known = new HashMap<>();
        if (parsed != null) { // sizes and hashes were computed when the images were checked
            parsed.records().forEach(r -> r.images().stream().filter(i -> i instanceof Ingest.InlineImage)
                    .forEach(i -> known.put(i.record() + "/" + i.position(), (Ingest.InlineImage) i)));
        }
        JsonNode copy = tree.deepCopy(); // shares the (immutable) strings: megabytes of base64 are not copied
        int r = 0;
        for (JsonNode record : copy.path("records")) {
            int p = 0;
            for (JsonNode image : record.path("images")) {
                Ingest.InlineImage seen = known.get(r + "/" + p++);
                if (image instanceof ObjectNode o && seen != null) {
                    o.set("data", mapper.createObjectNode().put("bytes", seen.bytes().length).put("sha256", seen.sha256Hex()));
                } else if (image instanceof ObjectNode o && o.get("data") != null && o.get("data").isTextual()) {
                    String b64 = o.get("data").textValue();
                    ObjectNode summary = mapper.createObjectNode();
                    try {
                        byte[] bytes = Base64.getDecoder().decode(b64);
                        summary.put("bytes", bytes.length).put("sha256", HexFormat.of().formatHex(BmaParser.sha256(bytes)));
                    } catch (IllegalArgumentException e) {
                        summary.put("invalid_base64_characters", b64.length());
                    }
                    o.set("data", summary);
                }
            }
            r++;
        }
        return copy;
    }
}
