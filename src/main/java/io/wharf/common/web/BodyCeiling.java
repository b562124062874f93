package io.wharf.common.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.wharf.common.error.BodyTooLarge;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * The service-wide ceiling (quarkus.http.limits.max-body-size) for bodies without Content-Length, enforced while
 * any REST route reads its body. Quarkus' own check of such bodies answers a bare 413 from inside the read, after
 * which the failed read was logged as an unexpected ERROR with a stack trace and the problem answer failed as a
 * second one ("Response has already been written"). Here the read fails with {@link BodyTooLarge} one byte past the
 * ceiling, which the problem mapper answers as a 413 problem without logging; {@link BodySizeLimit} moves
 * Quarkus' check a little higher, so that it only remains as a backstop. The connection is closed after the
 * answer, as the rest of the body is never read.
 */
@Provider
public class BodyCeiling implements ReaderInterceptor {

    private volatile long ceiling = -1;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException, WebApplicationException {
        long limit = ceiling();
        String length = context.getHeaders().getFirst("Content-Length");
        if (length == null) { // with a length, BodySizeLimit answered before the body was read
            context.setInputStream(new Counted(context.getInputStream(), limit));
        }
        return context.proceed();
    }

    /** Interceptors are built at static init, before runtime configuration exists: read on first use. */
    private long ceiling() {
        long c = ceiling;
        if (c < 0) {
            c = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", String.class)
                    .map(v -> new MemorySizeConverter().convert(v).asLongValue()).orElse(10L << 20);
            ceiling = c;
        }
        return c;
    }

    static final class Counted extends FilterInputStream {
        private final long limit;
        private long read;

        Counted(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, (int) Math.min(len, limit + 1 - read));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLarge {
            read += n;
            if (read > limit) {
                throw new BodyTooLarge(limit);
            }
        }
    }
}
