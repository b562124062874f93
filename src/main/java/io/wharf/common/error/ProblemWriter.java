package io.wharf.common.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The one rendering of a problem document, so that an answer looks the same whether the REST layer's
 * mapper sends it or a Vert.x handler that runs before the REST layer does (the authentication challenge
 * outside REST endpoints, the body size limit). It uses a mapper of its own rather than the application's,
 * so that no configuration meant for documents changes what an error looks like.
 */
public final class ProblemWriter {

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private ProblemWriter() {
    }

    /** The problem as UTF-8 JSON, to send as {@link Problem#MEDIA_TYPE}. */
    public static byte[] json(Problem problem) {
        try {
            return JSON.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem document could not be written", e);
        }
    }

    /** Ends a response outside the REST layer with the problem, its status and its media type. */
    public static void end(HttpServerResponse response, Problem problem) {
        response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(Buffer.buffer(json(problem)));
    }
}
