package io.wharf.common.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import jakarta.inject.Provider;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * The document limit, enforced where the body is read whatever the path looked like: {@link BodySizeLimit}
 * answers before the body is read, but only for paths it recognises, and a chunked body has no size for it
 * to check. This refuses a declared Content-Length over the limit, and otherwise reads at most the limit
 * plus one byte before Jackson sees any of it, so an endless or huge stream is refused with 413 instead of
 * being parsed.
 */
@jakarta.ws.rs.ext.Provider
@DocumentBody
public class DocumentBodyLimit implements ReaderInterceptor {

    /** Looked up per request: interceptors are built at static init, before runtime configuration exists. */
    private final Provider<BodyLimits> config;

    DocumentBodyLimit(Provider<BodyLimits> config) {
        this.config = config;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException, WebApplicationException {
        long limit = config.get().documents().maxBodySize().asLongValue();
        String length = context.getHeaders().getFirst("Content-Length");
        if (length != null && length.trim().matches("\\d{1,18}") && Long.parseLong(length.trim()) > limit) {
            throw tooLarge(Long.parseLong(length.trim()), limit);
        }
        // whatever the headers say, Jackson never sees more than the limit
        InputStream in = context.getInputStream();
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (body.length > limit) {
            throw tooLarge(-1, limit);
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    static WharfException tooLarge(long bytes, long limit) {
        return new WharfException(ErrorCode.PAYLOAD_TOO_LARGE, (bytes < 0 ? "The request body is more than " + limit : "The request body is " + bytes)
                + " bytes; this endpoint accepts at most " + limit + " bytes.");
    }
}
