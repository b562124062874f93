package io.wharf.common.web;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * A JSON value that is already text (a document as PostgreSQL printed it), written into a response as it
 * is. Parsing it into a tree only to print it again would redo, on every read, work whose result is
 * already at hand.
 */
@JsonSerialize(using = JsonText.Writer.class)
public record JsonText(String json) {

    static final class Writer extends StdSerializer<JsonText> {

        Writer() {
            super(JsonText.class);
        }

        @Override
        public void serialize(JsonText value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeRawValue(value.json());
        }
    }
}
