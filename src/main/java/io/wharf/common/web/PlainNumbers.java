package io.wharf.common.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Numbers in answers are written in plain notation (100, 0.0000001, never 1E+2 or 1E-7), and stored JSON is read
 * back with its numbers exactly as PostgreSQL keeps them (100.0 stays 100.0, 0.00001 never becomes the double
 * 1.0E-5), so that the first answer, a replay and every later read spell a number alike.
 */
@Singleton
public class PlainNumbers implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    }

    /** Stored JSON text as a tree, numbers exact. */
    public static JsonNode read(ObjectMapper mapper, String json) throws JsonProcessingException {
        return mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .readTree(json);
    }
}
