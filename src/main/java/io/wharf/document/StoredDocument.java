package io.wharf.document;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A document as it was read or written: its data as JSON text (PostgreSQL's own, when read), which a
 * response copies as it is. Code that needs the fields parses the text with {@link #data}; nothing keeps a
 * parsed tree beside the text, so the two can never disagree.
 */
public record StoredDocument(String id, String text, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public ObjectNode data(ObjectMapper mapper) {
        try {
            return (ObjectNode) mapper.readTree(text);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("the stored data of '" + id + "' is not a JSON object", e);
        }
    }

    /** The same document shown with other data, e.g. with its secrets masked. */
    public StoredDocument withText(String shown) {
        return new StoredDocument(id, shown, version, createdAt, updatedAt);
    }
}
