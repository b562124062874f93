package io.wharf.common.web;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Quarkus refuses a body larger than quarkus.http.limits.max-body-size with a bare 413 before any
 * application code runs. This handler goes first and answers the same case with a problem document,
 * without reading the body.
 */
@ApplicationScoped
public class BodySizeLimit {

    void install(@Observes Router router, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        long limit = maxBodySize.asLongValue();
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && length.trim().matches("\\d{1,18}") && Long.parseLong(length.trim()) > limit) {
                String path = ctx.normalizedPath().replace("\"", "");
                ctx.response().setStatusCode(413).putHeader("Content-Type", "application/problem+json").putHeader("Connection", "close")
                        .end("{\"type\":\"https://wharf.io/problems/payload-too-large\",\"title\":\"Payload too large\",\"status\":413,"
                                + "\"detail\":\"The request body is " + length.trim() + " bytes; this service accepts at most " + limit
                                + " bytes.\",\"instance\":\"" + path + "\"}");
                return;
            }
            ctx.next();
        });
    }
}
