package io.wharf.document;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.web.JsonText;
import io.wharf.common.web.Timestamps;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;

/**
 * Documents as clients see them: the seed's flat JSON with the id under its seed name, plus
 * created_at/updated_at (ISO-8601 with offset) and version, and the version as ETag. The stored text is
 * copied as it is, with the id and the metadata written around it, instead of being parsed into a tree and
 * printed again; only data that already holds one of those names (an adopted row) is merged as a tree.
 */
public final class DocumentResponses {

    private static final List<String> METADATA = List.of("\"created_at\"", "\"updated_at\"", "\"version\"");
    /** Exact numbers, so that a merged document prints 1.10 as it was stored. */
    private static final ObjectMapper TREES = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)).build();

    private DocumentResponses() {
    }

    public static JsonText body(DocumentType type, StoredDocument doc) {
        String text = doc.text();
        boolean clash = text.contains("\"" + type.idField() + "\"") || METADATA.stream().anyMatch(text::contains);
        return new JsonText(clash ? merged(type, doc) : around(type, doc));
    }

    public static Response ok(StoredDocument doc, JsonText body) {
        return Response.ok(body).tag(new EntityTag(String.valueOf(doc.version()))).build();
    }

    public static Response created(DocumentType type, StoredDocument doc, JsonText body) {
        return Response.created(URI.create(type.location(doc.id()))).entity(body).tag(new EntityTag(String.valueOf(doc.version()))).build();
    }

    /** {"idField": id, ...the stored fields..., "created_at": ..., "updated_at": ..., "version": n} */
    private static String around(DocumentType type, StoredDocument doc) {
        String stored = doc.text();
        String fields = stored.substring(stored.indexOf('{') + 1, stored.lastIndexOf('}')).strip();
        StringBuilder sb = new StringBuilder(stored.length() + 128 + type.idField().length() + doc.id().length());
        sb.append("{\"").append(type.idField()).append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(doc.id(), sb);
        sb.append('"');
        if (!fields.isEmpty()) {
            sb.append(',').append(fields);
        }
        timestamp(sb.append(",\"created_at\":"), doc.createdAt());
        timestamp(sb.append(",\"updated_at\":"), doc.updatedAt());
        return sb.append(",\"version\":").append(doc.version()).append('}').toString();
    }

    /** Stored fields of the same names give way to the id and the metadata. */
    private static String merged(DocumentType type, StoredDocument doc) {
        ObjectNode out = TREES.createObjectNode();
        out.put(type.idField(), doc.id());
        try {
            out.setAll((ObjectNode) TREES.readTree(doc.text()));
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("the stored data of '" + doc.id() + "' is not a JSON object", e);
        }
        out.put(type.idField(), doc.id());
        out.put("created_at", Timestamps.iso(doc.createdAt()));
        out.put("updated_at", Timestamps.iso(doc.updatedAt()));
        out.put("version", doc.version());
        return out.toString();
    }

    private static void timestamp(StringBuilder sb, OffsetDateTime t) {
        if (t == null) {
            sb.append("null");
        } else {
            sb.append('"').append(Timestamps.iso(t)).append('"');
        }
    }
}
