package io.wharf.common.error;

import java.nio.channels.ClosedChannelException;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpClosedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.NoContentException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The single translation from exceptions to RFC 9457 problems. Clients get what they did wrong in
 * their own terms (JSON field paths and JSON types); they never see a stack trace or a Java class name,
 * and an unexpected failure is logged under an id that the answer carries.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    /** The challenge of every 401, also of the one sent outside the REST layer. */
    public static final String CHALLENGE = "Bearer realm=\"wharf\"";

    private final DeadConnectionSweep deadConnections;

    public ProblemMapper(DeadConnectionSweep deadConnections) {
        this.deadConnections = deadConnections;
    }

    /**
     * Missing, malformed, unknown, revoked or expired keys and inactive tenants all get this same answer,
     * so that nobody can probe which keys or tenants exist.
     */
    public static Problem unauthorized(String path) {
        return Problem.of(ErrorCode.UNAUTHORIZED, "A valid API key is required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.",
                path, Map.of());
    }

    /** A problem carrying {@code retry_after_seconds} also says so in Retry-After, which clients and proxies honour. */
    @ServerExceptionMapper
    public Response wharf(WharfException e, UriInfo uri) {
        return TransientFailure.problem(e, path(uri));
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        deadConnections.after(e);
        Response unavailable = TransientFailure.answer(e, path(uri));
        if (unavailable != null) {
            return unavailable;
        }
        return Response.fromResponse(unauthorized(path(uri)).toResponse()).header("WWW-Authenticate", CHALLENGE).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Problem.of(ErrorCode.FORBIDDEN, "This API key does not have the scope this endpoint needs.", path(uri), Map.of())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        boolean returnValue = e.getConstraintViolations().stream()
                .anyMatch(v -> kinds(v.getPropertyPath()).contains(ElementKind.RETURN_VALUE));
        if (returnValue) {
            return unexpected(e, uri);
        }
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", fieldPath(v), "message", v.getMessage()))
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .collect(Collectors.toList());
        String detail = errors.stream().map(m -> m.get("field") + ": " + m.get("message"))
                .collect(Collectors.joining("; "));
        return Problem.of(ErrorCode.VALIDATION_FAILED, detail, path(uri), Map.of("errors", errors)).toResponse();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        Response large = BodyRefusals.answer(e, path(uri));
        return large != null ? large : jsonProblem(e, uri);
    }

    /** Declared on its own: Quarkus ships a mapper for exactly this type, which would otherwise win. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        Response large = BodyRefusals.answer(e, path(uri));
        return large != null ? large : jsonProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response noContent(NoContentException e, UriInfo uri) {
        return Problem.of(ErrorCode.MALFORMED_JSON, "The request body is empty; send a JSON object.", path(uri), Map.of()).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Response large = BodyRefusals.answer(e, path(uri));
        if (large != null) {
            return large;
        }
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException jpe) {
            return jsonProblem(jpe, uri);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        ErrorCode code = ErrorCode.forStatus(status);
        String detail = switch (status) {
            case 404 -> "Nothing is served at " + path(uri) + ".";
            case 405 -> "This method is not allowed on " + path(uri) + ".";
            case 406 -> "None of the accepted media types can be produced; this API answers application/json.";
            case 415 -> "Send the request body as application/json.";
            case 413 -> "The request body is larger than this service accepts.";
            default -> code.title() + ".";
        };
        Response problem = Problem.of(code, detail, path(uri), Map.of()).toResponse();
        if (status == 405 && e.getResponse().getHeaderString("Allow") != null) {
            return Response.fromResponse(problem).header("Allow", e.getResponse().getHeaderString("Allow")).build();
        }
        return problem;
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        Response large = BodyRefusals.answer(e, path(uri));
        if (large != null) {
            return large;
        }
        deadConnections.after(e);
        Response unavailable = TransientFailure.answer(e, path(uri));
        if (unavailable != null) {
            return unavailable;
        }
        // The database refused the request (SQLSTATE 22xxx/23xxx, optimistic lock): a 4xx, see DatabaseRefusals.
        Response refused = DatabaseRefusals.problem(e, path(uri));
        if (refused != null) {
            return refused;
        }
        String errorId = UUID.randomUUID().toString();
        if (clientWentAway(e)) {
            // nobody is left to read an answer, and nothing failed on this side
            LOG.debugf("Client closed the connection during %s (%s)", path(uri), errorId);
        } else {
            LOG.errorf(e, "Unexpected failure %s on %s", errorId, path(uri));
        }
        return Problem.of(ErrorCode.INTERNAL, "The request could not be completed; the failure was logged as " + errorId + ".",
                path(uri), Map.of("errorId", errorId)).toResponse();
    }

    private static boolean clientWentAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpClosedException || t instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    private static Response jsonProblem(JsonProcessingException e, UriInfo uri) {
        String at = location(e.getLocation());
        String detail;
        ErrorCode code = ErrorCode.MALFORMED_JSON;
        if (e instanceof UnrecognizedPropertyException u) {
            code = ErrorCode.VALIDATION_FAILED;
            detail = "Unknown field '" + jsonPath(u.getPath()) + "'.";
        } else if (e instanceof InvalidFormatException f) {
            code = ErrorCode.VALIDATION_FAILED;
            detail = "Field '" + jsonPath(f.getPath()) + "' has an invalid value" + expected(f.getTargetType()) + ".";
        } else if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            code = ErrorCode.VALIDATION_FAILED;
            detail = "Field '" + jsonPath(m.getPath()) + "' has the wrong type" + expected(m.getTargetType()) + ".";
        } else if (e instanceof MismatchedInputException) {
            detail = "The request body must be a JSON object" + at + ".";
        } else {
            detail = "The request body is not valid JSON" + at + ".";
        }
        return Problem.of(code, detail, path(uri), Map.of()).toResponse();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "";
        }
        if (type.isEnum()) {
            return ": expected one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .map(String::toLowerCase).collect(Collectors.joining(", "));
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return ": expected a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return ": expected a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return ": expected true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return ": expected an array";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return ": expected an ISO-8601 date or time";
        }
        if (type == UUID.class) {
            return ": expected a UUID";
        }
        return ": expected an object";
    }

    private static String jsonPath(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(root)" : sb.toString();
    }

    private static String location(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    /**
     * {@code create.body.items[0].name} becomes {@code items[0].name}: the method and parameter nodes are
     * dropped, and Hibernate Validator's index, which it keeps on the element's node, goes on the list.
     */
    private static String fieldPath(ConstraintViolation<?> v) {
        List<String> names = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : v.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> {
                    continue;
                }
                case PARAMETER -> {
                    parameter = node.getName();
                    continue;
                }
                default -> {
                }
            }
            if (node.isInIterable() && !names.isEmpty()) {
                Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
                if (at != null) {
                    names.set(names.size() - 1, names.get(names.size() - 1) + "[" + at + "]");
                }
            }
            if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getName() != null && !node.getName().isEmpty()) {
                names.add(node.getName());
            }
        }
        if (!names.isEmpty()) {
            return String.join(".", names);
        }
        return parameter == null ? "(body)" : parameter;
    }

    private static List<ElementKind> kinds(Path path) {
        List<ElementKind> kinds = new ArrayList<>();
        path.forEach(n -> kinds.add(n.getKind()));
        return kinds;
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
