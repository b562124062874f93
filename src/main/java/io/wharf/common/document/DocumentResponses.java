package io.wharf.common.document;

import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.web.Page;
import io.wharf.common.web.PageCursor;
import jakarta.ws.rs.core.Response;

/**
 * Documents as clients see them: the seed's flat JSON with the id under its seed name, plus
 * created_at/updated_at (ISO-8601 with offset) and version, and the version as ETag.
 */
public final class DocumentResponses {

    private DocumentResponses() {
    }

    public static ObjectNode body(Document doc, String idField, ObjectNode data) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put(idField, doc.id);
        out.setAll(data);
        out.put("created_at", doc.createdAt == null ? null : doc.createdAt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        out.put("updated_at", doc.updatedAt == null ? null : doc.updatedAt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        out.put("version", doc.version);
        return out;
    }

    public static Response ok(Document doc, ObjectNode body) {
        return Response.ok(body).tag(new jakarta.ws.rs.core.EntityTag(String.valueOf(doc.version))).build();
    }

    public static Response created(Document doc, ObjectNode body, String location) {
        return Response.created(URI.create(location)).entity(body).tag(new jakarta.ws.rs.core.EntityTag(String.valueOf(doc.version))).build();
    }

    public static <E extends Document> Page<ObjectNode> page(List<E> rows, int limit, Function<E, ObjectNode> view) {
        return Page.of(rows, limit, d -> new PageCursor(d.createdAt, d.id), view);
    }
}
