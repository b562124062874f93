package io.wharf.common.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import io.wharf.common.WharfConfig;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * A document body sent without Content-Length (chunked) has no size for {@link BodySizeLimit} to check up
 * front; this reads at most the limit plus one byte before Jackson sees any of it, so an endless or huge
 * stream is refused with 413 instead of being parsed.
 */
@Provider
@DocumentBody
public class DocumentBodyLimit implements ReaderInterceptor {

    /** Looked up per request: interceptors are built at static init, before runtime configuration exists. */
    private final jakarta.inject.Provider<WharfConfig> config;

    DocumentBodyLimit(jakarta.inject.Provider<WharfConfig> config) {
        this.config = config;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException, WebApplicationException {
        if (context.getHeaders().getFirst("Content-Length") == null) {
            long limit = config.get().documents().maxBodySize().asLongValue();
            InputStream in = context.getInputStream();
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                throw new WharfException(ErrorCode.PAYLOAD_TOO_LARGE,
                        "The request body is more than " + limit + " bytes; this endpoint accepts at most " + limit + " bytes.");
            }
            context.setInputStream(new ByteArrayInputStream(body));
        }
        return context.proceed();
    }
}
