package io.wharf.common.document;

import java.net.URI;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.web.JsonText;
import io.wharf.common.web.Page;
import io.wharf.common.web.PageCursor;
import io.wharf.common.web.Timestamps;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;

/**
 * Documents as clients see them: the seed's flat JSON with the id under its seed name, plus
 * created_at/updated_at (ISO-8601 with offset) and version, and the version as ETag. A document read
 * by plain SQL and shown unchanged is answered from PostgreSQL's own text of it, with the id and the
 * metadata written around it, instead of being copied into a new tree and printed again.
 */
public final class DocumentResponses {

    private DocumentResponses() {
    }

    public static JsonText body(Document doc, String idField, ObjectNode data) {
        String stored = data == doc.data ? doc.storedText() : null;
        if (stored != null && !data.has(idField) && !data.has("created_at") && !data.has("updated_at") && !data.has("version")) {
            return new JsonText(around(doc, idField, stored));
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put(idField, doc.id);
        out.setAll(data);
        out.put("created_at", Timestamps.iso(doc.createdAt));
        out.put("updated_at", Timestamps.iso(doc.updatedAt));
        out.put("version", doc.version);
        return new JsonText(out.toString());
    }

    /** {"idField": id, ...the stored fields..., "created_at": ..., "updated_at": ..., "version": n} */
    private static String around(Document doc, String idField, String stored) {
        String fields = stored.substring(stored.indexOf('{') + 1, stored.lastIndexOf('}')).strip();
        StringBuilder sb = new StringBuilder(stored.length() + 128 + idField.length() + doc.id.length());
        sb.append("{\"").append(idField).append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(doc.id, sb);
        sb.append('"');
        if (!fields.isEmpty()) {
            sb.append(',').append(fields);
        }
        timestamp(sb.append(",\"created_at\":"), doc.createdAt);
        timestamp(sb.append(",\"updated_at\":"), doc.updatedAt);
        return sb.append(",\"version\":").append(doc.version).append('}').toString();
    }

    private static void timestamp(StringBuilder sb, java.time.OffsetDateTime t) {
        if (t == null) {
            sb.append("null");
        } else {
            sb.append('"').append(Timestamps.iso(t)).append('"');
        }
    }

    public static Response ok(Document doc, JsonText body) {
        return Response.ok(body).tag(new EntityTag(String.valueOf(doc.version))).build();
    }

    public static Response created(Document doc, JsonText body, String location) {
        return Response.created(URI.create(location)).entity(body).tag(new EntityTag(String.valueOf(doc.version))).build();
    }

    /** {@code list} names the endpoint, as given to {@link ListParams#toQuery}: its cursors are refused elsewhere. */
    public static <E extends Document> Page<JsonText> page(String list, List<E> rows, int limit, Function<E, JsonText> view) {
        return Page.of(rows, limit, list, d -> new PageCursor(d.createdAt, d.id), view);
    }
}
