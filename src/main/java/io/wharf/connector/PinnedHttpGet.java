package io.wharf.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

import javax.net.ssl.SSLSocketFactory;

import org.apache.http.ConnectionClosedException;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpHost;
import org.apache.http.MalformedChunkCodingException;
import org.apache.http.MessageConstraintException;
import org.apache.http.NoHttpResponseException;
import org.apache.http.ProtocolVersion;
import org.apache.http.StatusLine;
import org.apache.http.TruncatedChunkException;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.config.ConnectionConfig;
import org.apache.http.config.MessageConstraints;
import org.apache.http.config.Registry;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.config.SocketConfig;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.BasicHttpClientConnectionManager;
import org.apache.http.impl.conn.ManagedHttpClientConnectionFactory;
import org.apache.http.impl.io.DefaultHttpResponseParser;
import org.apache.http.io.HttpTransportMetrics;
import org.apache.http.io.SessionInputBuffer;
import org.apache.http.protocol.HttpContext;
import org.apache.http.util.CharArrayBuffer;

import io.wharf.common.net.OutboundAddressPolicy;

/**
 * One GET sent with Apache HttpClient to an address that was already vetted, so that the name is not resolved a
 * second time (DNS rebinding): the target {@link HttpHost} carries the address beside the name, and the name is
 * what TLS sends (SNI) and what the certificate is verified against. Redirects come back to the caller, which
 * vets each target. One deadline covers connect, handshake, headers and body (the socket is closed when it
 * passes, as HttpClient's timeouts are per read); the head may take 64 KiB and at most {@code maxBodyBytes} of the
 * body are read, then the connection is dropped rather than drained.
 */
final class PinnedHttpGet {

    record Response(int status, String location) {
    }

    /** The deadline passed before the answer was complete. */
    static final class DeadlineExceeded extends IOException {
        DeadlineExceeded() {
            super("deadline exceeded");
        }
    }

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final String CLOSED_EARLY = "the connection closed before the answer was complete";

    private PinnedHttpGet() {
    }

    static Response get(URI uri, InetAddress address, String authorization, long deadlineNanos, int maxBodyBytes, SSLSocketFactory tls)
            throws IOException {
        String host = uri.getHost();
        // "name." is the absolute form of "name": SNI and certificates carry it without the dot (RFC 6066 section 3)
        String bareHost = OutboundAddressPolicy.withoutTrailingDot(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        // the port is always given: without one HttpClient's route planner makes a new target without the address
        HttpHost target = new HttpHost(address, bareHost, port(uri), uri.getScheme().toLowerCase(Locale.ROOT));
        HttpGet request = new HttpGet((uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        request.setHeader("Host", host + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
        request.setHeader("Accept", "*/*");
        request.setHeader("Accept-Encoding", "identity");
        request.setHeader("Connection", "close");
        if (authorization != null) {
            request.setHeader("Authorization", authorization);
        }
        int timeout = remainingMillis(deadlineNanos);
        DeadlineSocketFactory sockets = new DeadlineSocketFactory(DeadlineSocketFactory.arg(deadlineNanos));
        try (CloseableHttpClient client = client(sockets, tls, timeout); CloseableHttpResponse response = client.execute(target, request)) {
            StatusLine status = response.getStatusLine();
            ProtocolVersion version = status.getProtocolVersion();
            if (version.getMajor() != 1 || version.getMinor() > 1 || status.getStatusCode() > 999) {
                throw new IOException("not an HTTP/1.1 answer");
            }
            skipBody(response.getEntity(), maxBodyBytes);
            Header location = response.getLastHeader("Location");
            return new Response(status.getStatusCode(), location == null ? null : location.getValue());
        } catch (IOException e) {
            throw translated(e, deadlineNanos);
        }
    }

    /**
     * A client for one request: its one connection is made by {@code sockets} (closed at the deadline), names are
     * never resolved, nothing is retried, followed, decompressed or remembered (cookies, authentication).
     */
    private static CloseableHttpClient client(DeadlineSocketFactory sockets, SSLSocketFactory tls, int timeoutMillis) {
        Registry<ConnectionSocketFactory> schemes = RegistryBuilder.<ConnectionSocketFactory>create()
                .register("http", new PlainConnectionSocketFactory() {
                    @Override
                    public Socket createSocket(HttpContext context) {
                        return sockets.createSocket();
                    }
                })
                .register("https", new SSLConnectionSocketFactory(tls, SSLConnectionSocketFactory.getDefaultHostnameVerifier()) {
                    @Override
                    public Socket createSocket(HttpContext context) {
                        return sockets.createSocket();
                    }
                })
                .build();
        BasicHttpClientConnectionManager connections = new BasicHttpClientConnectionManager(schemes,
                new ManagedHttpClientConnectionFactory(null, (buffer, constraints) -> new DefaultHttpResponseParser(new HeadBudget(buffer), null,
                        null, constraints)),
                null, name -> {
                    throw new UnknownHostException(name + " is only reached at the address it was vetted at");
                });
        connections.setConnectionConfig(
                ConnectionConfig.custom().setMessageConstraints(MessageConstraints.custom().setMaxLineLength(MAX_HEADER_BYTES).build()).build());
        connections.setSocketConfig(SocketConfig.custom().setSoTimeout(timeoutMillis).build());
        return HttpClients.custom().setConnectionManager(connections).setUserAgent("wharf-connection-test").disableRedirectHandling()
                .disableAutomaticRetries().disableContentCompression().disableCookieManagement().disableAuthCaching()
                .setDefaultRequestConfig(RequestConfig.custom().setConnectTimeout(timeoutMillis).setSocketTimeout(timeoutMillis)
                        .setNormalizeUri(false).build())
                .build();
    }

    /** Reads the body only to be sure the whole answer arrived in time, and stops after maxBodyBytes. */
    private static void skipBody(HttpEntity entity, int maxBodyBytes) throws IOException {
        if (entity == null) {
            return;
        }
        InputStream body = entity.getContent();
        byte[] buffer = new byte[8192];
        long left = maxBodyBytes;
        try {
            for (int n = 0; left > 0 && n >= 0; left -= Math.max(n, 0)) {
                n = body.read(buffer, 0, (int) Math.min(buffer.length, left));
            }
        } catch (ConnectionClosedException e) {
            if (entity.isChunked()) {
                throw e;
            }
            // fewer bytes than its Content-Length: the answer's status is what the test reports, as it always was
        }
    }

    /** The caller's words for what went wrong: the deadline, or the answer's own fault. */
    private static IOException translated(IOException e, long deadlineNanos) {
        if (e instanceof InterruptedIOException || System.nanoTime() - deadlineNanos >= 0) {
            return new DeadlineExceeded(); // a timed-out connect or read, or the socket closed at the deadline
        }
        if (e instanceof MessageConstraintException) {
            return new IOException("the answer's headers are too large");
        }
        if (e instanceof ConnectionClosedException || e instanceof NoHttpResponseException || e instanceof TruncatedChunkException) {
            return new IOException(CLOSED_EARLY);
        }
        if (e instanceof MalformedChunkCodingException) {
            return new IOException("malformed chunked body");
        }
        if (e instanceof ClientProtocolException) {
            return new IOException("not an HTTP/1.1 answer");
        }
        return e;
    }

    /** The URL's port, or the scheme's; one out of range is refused before anything is opened. */
    static int port(URI uri) throws IOException {
        int port = uri.getPort() != -1 ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        if (port < 1 || port > 65535) {
            throw new IOException("the port must be a number from 1 to 65535");
        }
        return port;
    }

    /** Rounded up: a timeout set to it fires at the deadline, not just before. */
    private static int remainingMillis(long deadlineNanos) throws DeadlineExceeded {
        long ms = (deadlineNanos - System.nanoTime() + 999_999) / 1_000_000;
        if (ms <= 0) {
            throw new DeadlineExceeded();
        }
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    /** The head of the answer (status lines and headers, interim answers included) may take at most 64 KiB. */
    private static final class HeadBudget implements SessionInputBuffer {
        private final SessionInputBuffer in;
        private int left = MAX_HEADER_BYTES;

        HeadBudget(SessionInputBuffer in) {
            this.in = in;
        }

        private int spent(int n) throws IOException {
            left -= Math.max(n, 0) + 2;
            if (left < 0) {
                throw new IOException("the answer's headers are too large");
            }
            return n;
        }

        @Override
        public int readLine(CharArrayBuffer line) throws IOException {
            return spent(in.readLine(line));
        }

        @Override
        public String readLine() throws IOException {
            String line = in.readLine();
            spent(line == null ? 0 : line.length());
            return line;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public int read(byte[] b) throws IOException {
            return in.read(b);
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        @Deprecated
        public boolean isDataAvailable(int timeout) throws IOException {
            return in.isDataAvailable(timeout);
        }

        @Override
        public HttpTransportMetrics getMetrics() {
            return in.getMetrics();
        }
    }
}
