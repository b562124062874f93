package io.wharf.common.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wharf.common.error.Problem;
import io.wharf.common.error.ProblemWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Quarkus refuses a body larger than quarkus.http.limits.max-body-size with a bare 413 before any
 * application code runs. This handler goes first and answers the same case with a problem document,
 * without reading the body. Document routes get a much lower limit (wharf.documents.max-body-size): the
 * service-wide one is sized for uploads, and a document route would otherwise buffer and parse an
 * upload-sized body of JSON only to refuse it. Bodies sent without Content-Length are counted by {@link DocumentBodyLimit}.
 */
@ApplicationScoped
public class BodySizeLimit {

    /** The routes whose bodies are documents; see {@link DocumentBodyLimit} for the same limit on chunked bodies. */
    static final List<String> DOCUMENT_ROUTES = List.of("/connector/profiles", "/demo/clients", "/demo/proposals");

    void install(@Observes Router router, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            BodyLimits config) {
        long limit = maxBodySize.asLongValue();
        long documentLimit = Math.min(limit, config.documents().maxBodySize().asLongValue());
        long bmaLimit = Math.min(limit, config.bma().maxBodySize().asLongValue());
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && length.trim().matches("\\d{1,18}")) {
                long bytes = Long.parseLong(length.trim());
                long max = isDocumentRoute(ctx.normalizedPath()) ? documentLimit : isBmaRoute(ctx.normalizedPath()) ? bmaLimit : limit;
                if (bytes > max) {
                    tooLarge(ctx, bytes, max);
                    return;
                }
            }
            ctx.next();
        });
        // after Quarkus' own limit handler (order -2), which hands the ceiling to the body reader of bodies without a length
        router.route().order(-1).handler(ctx -> {
            // a body without a length: chunked, or any HTTP/2 body sent without one
            boolean streamed = ctx.request().getHeader("Transfer-Encoding") != null
                    || ctx.request().version() == HttpVersion.HTTP_2;
            if (ctx.request().getHeader("Content-Length") == null && streamed) {
                if (ctx.get(QUARKUS_LIMIT) != null) {
                    ctx.put(QUARKUS_LIMIT, limit + BACKSTOP_HEADROOM); // BodyCeiling refuses at the ceiling, with a problem answer
                }
                // a refused body not read to its end would otherwise keep an HTTP/1 connection busy reading it; an
                // HTTP/2 connection carries other requests' streams too, and its flow control already stops the sender
                ctx.addEndHandler(v -> {
                    if (ctx.response().getStatusCode() == 413 && !ctx.request().isEnded()
                            && ctx.request().version() != HttpVersion.HTTP_2) {
                        ctx.request().connection().close();
                    }
                });
            }
            ctx.next();
        });
    }

    /** The routing context entry from which Quarkus' body reader takes the limit of a body without Content-Length. */
    private static final String QUARKUS_LIMIT = "io.quarkus.max-request-size";

    /** What the connection may have received beyond the bytes the reader has taken when BodyCeiling refuses. */
    private static final long BACKSTOP_HEADROOM = 1L << 20;

    /**
     * Whether the path is one Quarkus REST would route to a document resource: it matches with matrix
     * parameters (";x=1") removed from every segment and percent-escapes decoded, so neither may hide one.
     */
    static boolean isDocumentRoute(String path) {
        String p = canonical(canonical(path));
        for (String route : DOCUMENT_ROUTES) {
            if (p.startsWith(route) && (p.length() == route.length() || p.charAt(route.length()) == '/')) {
                return true;
            }
        }
        return false;
    }

    /** The ingestion route, however its path is spelled; its own limit is checked again when the body is read. */
    static boolean isBmaRoute(String path) {
        return canonical(canonical(path)).equals("/api/integration/bma/transaction");
    }

    private static String canonical(String path) {
        if (path != null && path.indexOf(';') < 0 && path.indexOf('%') < 0 && path.indexOf('+') < 0 && !path.contains("//")) {
            return path; // the common case, on the event loop for every request: nothing to undo
        }
        String p = path == null ? "" : path.replaceAll(";[^/]*", "").replaceAll("/{2,}", "/");
        try {
            return URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return p; // a broken escape: no route matches it either
        }
    }

    private static void tooLarge(RoutingContext ctx, long bytes, long max) {
        ProblemWriter.end(ctx.response().putHeader("Connection", "close"),
                Problem.of(DocumentBodyLimit.tooLarge(bytes, max), ctx.normalizedPath()));
    }
}
