package io.wharf.common.error;

import java.io.IOException;
import java.util.Map;

import org.jboss.logging.Logger;

import jakarta.ws.rs.core.Response;

/** Bodies over the service-wide ceiling, however the body reader wrapped the failure. */
final class BodyRefusals {

    private static final Logger LOG = Logger.getLogger(BodyRefusals.class);

    private BodyRefusals() {
    }

    /**
     * A 413 problem, not logged (any client can send one), with the connection closed, as the rest of the body is
     * never read; null when the failure is no such refusal.
     */
    static Response answer(Throwable e, String path) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyTooLarge large) {
                return Response.fromResponse(TransientFailure.problem(large.problem(), path)).header("Connection", "close").build();
            }
            if (t instanceof IOException io && "Request too large".equals(io.getMessage())) {
                // Quarkus' own check, the backstop: its bare 413 may be out already; one line, no trace
                LOG.warnf("A request body over the service-wide limit was refused by the HTTP layer on %s", path);
                return Response.fromResponse(Problem.of(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger than this service accepts.",
                        path, Map.of()).toResponse()).header("Connection", "close").build();
            }
        }
        return null;
    }
}
