package io.wharf.copy.fetch;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import javax.net.ssl.SSLSocketFactory;

import io.wharf.common.net.HostResolver;
import io.wharf.common.net.LenientUrl;
import io.wharf.common.net.OutboundAddressPolicy;
import io.wharf.common.net.OutboundUrlPolicy;
import io.wharf.copy.CopyFailure;

/**
 * A streaming HTTP/1.1 GET of a legacy file, sent to the address the policy vetted (the name is not looked
 * up again, so DNS cannot be turned against an internal host between check and connect; TLS still checks the
 * certificate against the name). Headers must arrive within the connect timeout; the body may then take as
 * long as it needs, but may never stall longer than the stall timeout. The body stream counts its bytes:
 * fewer than Content-Length is a truncation, more is refused too, so a damaged file never looks complete.
 * A 200 whose server keeps the connection open leaves it to {@link LegacyConnections} for the next file to the
 * same vetted address, once its body ended exactly where it said.
 */
public final class LegacyFetch implements AutoCloseable {

    /** An answer being read: status 200, its length (-1 unknown) and type, and the body. */
    public record Response(String host, long contentLength, String contentType, InputStream body, Closeable connection) implements Closeable {
        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    private static final int MAX_REDIRECTS = 3;

    private final Duration connectTimeout;
    private final Duration stallTimeout;
    private final SSLSocketFactory tls;
    private final LegacyConnections connections;
    private Duration allowance = Duration.ofDays(365);
    private long minRate;

    public LegacyFetch(Duration connectTimeout, Duration stallTimeout, SSLSocketFactory tls, LegacyConnections connections) {
        this.connectTimeout = connectTimeout;
        this.stallTimeout = stallTimeout;
        this.tls = tls;
        this.connections = connections;
    }

    /** Every body must average {@code minRate} bytes per second once {@code allowance} has passed (0: no pace). */
    public LegacyFetch pace(Duration allowance, long minRate) {
        this.allowance = allowance;
        this.minRate = minRate;
        return this;
    }

    /** Closes the kept connections that have been idle for too long. */
    public void closeIdle() {
        connections.sweep();
    }

    /** Closes the connections kept open. */
    @Override
    public void close() {
        connections.close();
    }

    /** Fetches url, judging it and every redirect target by the policy (a tenant's URL never gets the operator's allow-list). */
    public Response open(String url, OutboundUrlPolicy policy) throws CopyFailure {
        URI uri = parse(url);
        for (int hop = 0;; hop++) {
            Answer a = request(uri, policy);
            if (a.status == 200) {
                return a.response;
            }
            a.close();
            if (a.status >= 300 && a.status < 400 && a.location != null) {
                if (hop == MAX_REDIRECTS) {
                    throw new CopyFailure("redirects", uri.getHost() + " redirected more than " + MAX_REDIRECTS + " times", true, null);
                }
                URI next;
                try {
                    // headers are read as ISO-8859-1; servers that put non-ASCII into Location send it as UTF-8, as browsers read it
                    next = uri.resolve(LenientUrl.parse(new String(a.location.trim().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new CopyFailure("malformed_url", uri.getHost() + " redirected to an invalid URL", true, null);
                }
                if ("https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                    throw new CopyFailure("refused_address", uri.getHost() + " redirected from https to " + next.getScheme() + "; refused", true,
                            null);
                }
                uri = parse(next.toString());
                continue;
            }
            String where = "HTTP " + a.status + " from " + uri.getHost();
            if (a.status == 404 || a.status == 410) {
                throw new CopyFailure("not_found", where + ": the legacy file is gone", true, null);
            }
            boolean transientStatus = a.status >= 500 || a.status == 429 || a.status == 408;
            throw new CopyFailure("http_status", where + (transientStatus ? "" : ": the legacy server refuses this file"), !transientStatus,
                    a.retryAfter);
        }
    }

    private static URI parse(String url) throws CopyFailure {
        URI uri;
        try {
            uri = LenientUrl.parse(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            throw new CopyFailure("malformed_url", "not a valid URL", true, null);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new CopyFailure("malformed_url", "not an http(s) URL with a host (and without credentials)", true, null);
        }
        int port = uri.getPort();
        if (port == 0 || port > 65535) {
            throw new CopyFailure("malformed_url", "port " + port + " is out of range", true, null);
        }
        return uri;
    }

    private record Answer(int status, String location, Duration retryAfter, Response response, LegacyConnections.Connection connection) {
        void close() {
            connection.close();
        }
    }

    /** A kept connection the server had closed while it was idle: the request goes again on a new one. */
    private static final class Stale extends Exception {
        Stale() {
            super(null, null, false, false);
        }
    }

    private Answer request(URI uri, OutboundUrlPolicy policy) throws CopyFailure {
        String host = uri.getHost();
        OutboundUrlPolicy.Vetted vetted;
        try {
            vetted = policy.check(uri, HostResolver.OPERATOR, System.nanoTime() + connectTimeout.toNanos());
        } catch (OutboundAddressPolicy.TimedOut e) {
            throw new CopyFailure("timeout", e.getMessage(), false, null);
        } catch (OutboundAddressPolicy.Refused e) {
            boolean unresolvable = e.getMessage() != null && e.getMessage().contains("does not resolve");
            throw new CopyFailure(unresolvable ? "connection" : "refused_address", e.getMessage(), !unresolvable, null);
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        InetAddress address = vetted.address();
        int port = vetted.port();
        String bare = OutboundAddressPolicy.withoutTrailingDot(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        LegacyConnections.Route route = new LegacyConnections.Route(https, address, port, bare);
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        byte[] get = ("GET " + target + " HTTP/1.1\r\nHost: " + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + "\r\nUser-Agent: wharf-s3-migration\r\nAccept: */*\r\nAccept-Encoding: identity\r\n"
                + (connections.enabled() ? "" : "Connection: close\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        LegacyConnections.Connection c = connections.take(route);
        try {
            if (c != null) {
                try {
                    return send(c, get, uri.toString(), host, System.nanoTime() + connectTimeout.toNanos(), true);
                } catch (Stale e) {
                    c = null; // closed by the server while it was idle: a new connection below
                }
            }
            long deadline = System.nanoTime() + connectTimeout.toNanos();
            c = LegacyConnections.open(route, deadline, (int) connectTimeout.toMillis(), tls);
            return send(c, get, uri.toString(), host, deadline, false);
        } catch (Stale e) {
            throw new IllegalStateException("a new connection is never stale", e);
        } catch (LegacyConnections.Unreachable e) {
            closeQuietly(c); // the origin's circuit opens: its jobs wait without spending attempts (the worker's Circuits)
            throw new CopyFailure(CopyFailure.HOST_UNREACHABLE, "could not connect to " + host + ":" + port + ": " + e.getMessage(), false, null);
        } catch (SocketTimeoutException e) {
            closeQuietly(c);
            throw new CopyFailure("timeout", host + " did not answer within " + connectTimeout.toSeconds() + " s", false, null);
        } catch (IOException e) {
            closeQuietly(c);
            throw new CopyFailure("connection", "could not fetch from " + host + ":" + port + ": " + e.getMessage(), false, null);
        }
    }

    /**
     * Sends the GET and reads the answer's headers. On a kept connection, a write that fails or an answer that
     * ends before its first byte means the server closed it while idle: {@link Stale}, and the caller sends again.
     */
    private Answer send(LegacyConnections.Connection c, byte[] get, String url, String host, long deadline, boolean kept)
            throws CopyFailure, Stale, IOException {
        c.lastUrl = url;
        BodyStream in = new BodyStream(c.in, c.raw, host);
        try {
            c.out.write(get);
            c.out.flush();
            return read(in, c, host, deadline);
        } catch (SocketTimeoutException e) {
            c.close();
            throw e;
        } catch (IOException e) {
            c.close();
            if (kept && in.nothingReceived()) {
                throw new Stale();
            }
            throw e;
        } catch (CopyFailure f) {
            c.close();
            throw f;
        }
    }

    private Answer read(BodyStream in, LegacyConnections.Connection c, String host, long deadline) throws IOException, CopyFailure {
        ResponseHead head = ResponseHead.read(in, host, deadline);
        boolean keptOpen = connections.enabled() && head.code() == 200 && head.keepsConnection() && !head.faultyFraming();
        Long length = head.length();
        in.body(head.chunked() ? -2 : length == null ? -1 : length, stallTimeout, keptOpen, allowance, minRate);
        Closeable release = () -> {
            if (in.reusable()) {
                connections.put(c);
            } else {
                c.close();
            }
        };
        return new Answer(head.code(), head.location(), head.retryAfter(),
                new Response(host, head.chunked() || length == null ? -1 : length, head.contentType(), in, release), c);
    }

    private static void closeQuietly(LegacyConnections.Connection c) {
        if (c != null) {
            c.close();
        }
    }
}
