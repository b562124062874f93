package io.wharf.common.error;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem document; extension members are serialised beside the standard ones. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "type", "title", "status", "detail", "instance" })
public record Problem(String type, String title, int status, String detail, String instance,
        @JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ErrorCode code, String detail, String instance, Map<String, Object> extensions) {
        return new Problem(code.type(), code.title(), code.status(), detail, instance, new LinkedHashMap<>(extensions));
    }

    public static Problem of(WharfException e, String instance) {
        return of(e.code(), e.getMessage(), instance, e.extensions());
    }

    @JsonAnyGetter
    public Map<String, Object> extensionMembers() {
        return extensions == null ? Map.of() : extensions;
    }

    /** Rendered by {@link ProblemWriter}, like every other problem answer. */
    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(ProblemWriter.json(this)).build();
    }
}
