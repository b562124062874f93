package io.wharf.common.error;

import java.util.Map;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

/**
 * A safety net for error answers the framework makes without an exception reaching the mapper (an
 * empty body, say): a client must still get a problem document, never a bare status.
 */
public class ProblemResponseFilter {

    @ServerResponseFilter
    public void ensureProblemBody(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400 || response.hasEntity()) {
            return;
        }
        ErrorCode code = ErrorCode.forStatus(status);
        String path = "/" + request.getUriInfo().getPath().replaceFirst("^/", "");
        Problem problem = Problem.of(code, code.title() + ".", path, Map.of());
        response.setEntity(ProblemWriter.json(problem), null, MediaType.valueOf(Problem.MEDIA_TYPE));
    }
}
