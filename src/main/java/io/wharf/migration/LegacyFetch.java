package io.wharf.migration;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import io.wharf.common.net.OutboundAddressPolicy;

/**
 * A streaming HTTP/1.1 GET of a legacy file, sent to the address the policy vetted (the name is not looked
 * up again, so DNS cannot be turned against an internal host between check and connect; TLS still checks the
 * certificate against the name). Headers must arrive within the connect timeout; the body may then take as
 * long as it needs, but may never stall longer than the stall timeout. The body stream counts its bytes:
 * fewer than Content-Length is a truncation, more is refused too, so a damaged file never looks complete.
 */
final class LegacyFetch {

    /** Why a fetch failed, in an operator's words; {@code permanent} when trying again cannot help. */
    static final class Failure extends Exception {
        final String reason;
        final boolean permanent;
        final Duration retryAfter;

        Failure(String reason, String message, boolean permanent, Duration retryAfter) {
            super(message, null, false, false);
            this.reason = reason;
            this.permanent = permanent;
            this.retryAfter = retryAfter;
        }
    }

    /** An answer being read: status 200, its length (-1 unknown) and type, and the body. */
    record Response(String host, long contentLength, String contentType, InputStream body, Closeable connection) implements Closeable {
        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_REDIRECTS = 3;

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] [0-9]{3}( .*)?");
    private static final Pattern DIGITS_18 = Pattern.compile("[0-9]{1,18}");
    private static final Pattern DIGITS_9 = Pattern.compile("[0-9]{1,9}");
    private static final Pattern CHUNK_SIZE = Pattern.compile("[0-9A-Fa-f]{1,15}");
    private static final Pattern IPV4_CHARS = Pattern.compile("[0-9.]+");

    private final OutboundAddressPolicy policy;
    private final Duration connectTimeout;
    private final Duration stallTimeout;
    private final SSLSocketFactory tls;

    LegacyFetch(OutboundAddressPolicy policy, Duration connectTimeout, Duration stallTimeout, SSLSocketFactory tls) {
        this.policy = policy;
        this.connectTimeout = connectTimeout;
        this.stallTimeout = stallTimeout;
        this.tls = tls;
    }

    Response open(String url) throws Failure {
        URI uri = parse(url);
        for (int hop = 0;; hop++) {
            Answer a = request(uri);
            if (a.status == 200) {
                return a.response;
            }
            a.close();
            if (a.status >= 300 && a.status < 400 && a.location != null) {
                if (hop == MAX_REDIRECTS) {
                    throw new Failure("redirects", uri.getHost() + " redirected more than " + MAX_REDIRECTS + " times", true, null);
                }
                URI next;
                try {
                    next = uri.resolve(new URI(lenient(a.location.trim())));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new Failure("malformed_url", uri.getHost() + " redirected to an invalid URL", true, null);
                }
                if ("https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                    throw new Failure("refused_address", uri.getHost() + " redirected from https to " + next.getScheme() + "; refused", true, null);
                }
                uri = parse(next.toString());
                continue;
            }
            String where = "HTTP " + a.status + " from " + uri.getHost();
            if (a.status == 404 || a.status == 410) {
                throw new Failure("not_found", where + ": the legacy file is gone", true, null);
            }
            boolean transientStatus = a.status >= 500 || a.status == 429 || a.status == 408;
            throw new Failure("http_status", where + (transientStatus ? "" : ": the legacy server refuses this file"), !transientStatus,
                    a.retryAfter);
        }
    }

    /** Legacy data and servers write spaces and non-ASCII letters into URLs unescaped; they are escaped as a browser would. */
    static String lenient(String url) {
        StringBuilder sb = new StringBuilder(url.length());
        for (byte b : url.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || "\"<>\\^`{|}".indexOf(c) >= 0) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static URI parse(String url) throws Failure {
        URI uri;
        try {
            uri = new URI(url == null ? "" : lenient(url.trim()));
        } catch (URISyntaxException e) {
            throw new Failure("malformed_url", "not a valid URL", true, null);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new Failure("malformed_url", "not an http(s) URL with a host (and without credentials)", true, null);
        }
        int port = uri.getPort();
        if (port == 0 || port > 65535) {
            throw new Failure("malformed_url", "port " + port + " is out of range", true, null);
        }
        return uri;
    }

    private record Answer(int status, String location, Duration retryAfter, Response response, Socket socket) {
        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    private Answer request(URI uri) throws Failure {
        String host = uri.getHost();
        InetAddress address;
        try {
            address = policy.resolve(host, System.nanoTime() + connectTimeout.toNanos());
        } catch (OutboundAddressPolicy.TimedOut e) {
            throw new Failure("timeout", e.getMessage(), false, null);
        } catch (OutboundAddressPolicy.Refused e) {
            boolean unresolvable = e.getMessage() != null && e.getMessage().contains("does not resolve");
            throw new Failure(unresolvable ? "connection" : "refused_address", e.getMessage(), !unresolvable, null);
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String bare = OutboundAddressPolicy.withoutTrailingDot(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        Socket socket = new Socket();
        try {
            long deadline = System.nanoTime() + connectTimeout.toNanos();
            socket.connect(new InetSocketAddress(address, port), (int) connectTimeout.toMillis());
            Socket s = socket;
            if (https) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(socket, bare, port, true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (!bare.contains(":") && !IPV4_CHARS.matcher(bare).matches()) {
                    params.setServerNames(List.of(new SNIHostName(bare)));
                }
                ssl.setSSLParameters(params);
                ssl.setSoTimeout(millisLeft(deadline));
                ssl.startHandshake();
                s = ssl;
            }
            String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + "\r\nUser-Agent: wharf-s3-migration\r\nAccept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(s, socket, host, deadline);
        } catch (Failure f) {
            closeQuietly(socket);
            throw f;
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new Failure("timeout", host + " did not answer within " + connectTimeout.toSeconds() + " s", false, null);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new Failure("connection", "could not fetch from " + host + ":" + port + ": " + e.getMessage(), false, null);
        }
    }

    private Answer read(Socket s, Socket raw, String host, long deadline) throws IOException, Failure {
        BodyStream in = new BodyStream(s.getInputStream(), raw, host);
        in.headerDeadline(deadline); // every header read waits only for what is left of the connect timeout
        int[] budget = { MAX_HEADER_BYTES };
        while (true) {
            String status = in.line(budget);
            if (!STATUS_LINE.matcher(status).matches()) {
                throw new Failure("http_status", host + " did not answer in HTTP/1.1", false, null);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            String location = null;
            String type = null;
            String encoding = null;
            Duration retryAfter = null;
            Long length = null;
            String transfer = null;
            for (String line = in.line(budget); !line.isEmpty(); line = in.line(budget)) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                switch (name) {
                    case "location" -> location = value;
                    case "content-type" -> type = value;
                    case "content-encoding" -> encoding = value.toLowerCase(Locale.ROOT);
                    case "content-length" -> {
                        // RFC 9112 6.3: an invalid or conflicting length makes the body's end unknowable
                        if (!DIGITS_18.matcher(value).matches() || length != null && length != Long.parseLong(value)) {
                            throw new Failure("malformed_response",
                                    host + " sent an invalid or conflicting Content-Length (" + Keys.clip(value) + ")",
                                    false, null);
                        }
                        length = Long.parseLong(value);
                    }
                    case "transfer-encoding" -> transfer = (transfer == null ? "" : transfer + ",") + value.toLowerCase(Locale.ROOT);
                    case "retry-after" -> retryAfter = DIGITS_9.matcher(value).matches() ? Duration.ofSeconds(Long.parseLong(value)) : null;
                    default -> {
                    }
                }
            }
            if (code >= 100 && code < 200) {
                continue;
            }
            boolean chunked = transfer != null;
            if (chunked && !transfer.replace(" ", "").equals("chunked")) {
                throw new Failure("malformed_response", host + " sent the body with Transfer-Encoding " + Keys.clip(transfer)
                        + "; only chunked is read", true, null);
            }
            if (code == 200 && encoding != null && !encoding.equals("identity")) {
                // the object must hold the file's own bytes, not a compressed form of them
                throw new Failure("malformed_response", host + " sent the file with Content-Encoding " + Keys.clip(encoding)
                        + " although Wharf asked for identity", true, null);
            }
            in.body(chunked ? -2 : length == null ? -1 : length, stallTimeout);
            return new Answer(code, location, retryAfter, new Response(host, chunked || length == null ? -1 : length, type, in, raw), raw);
        }
    }

    private static int millisLeft(long deadline) throws SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new SocketTimeoutException();
        }
        return (int) ms;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /**
     * The connection's bytes: first header lines, then the body, decoded from chunks when it is chunked, ending
     * exactly at its length. A body cut short, one that runs on past its Content-Length, and a read that stalls
     * longer than the stall timeout are IOExceptions that say so.
     */
    static final class BodyStream extends InputStream {
        static final class Truncated extends IOException {
            Truncated(String message) {
                super(message);
            }
        }

        private final InputStream in;
        private final Socket socket;
        private final byte[] buffer = new byte[65536];
        private int pos;
        private int end;
        private long remaining; // body bytes left; -1 until the end of the stream; -2 chunked
        private long chunkLeft;
        private long read;
        private String host;
        private boolean done;
        private IOException failure;

        /** Below this average rate over a minute a body counts as stalled, however regularly its bytes trickle. */
        static final long MIN_BYTES_PER_SECOND = 1024;
        private static final long RATE_WINDOW_NANOS = 60_000_000_000L;

        private long headerDeadline;
        private long windowStart;
        private long windowBytes;

        BodyStream(InputStream in, Socket socket, String host) {
            this.in = in;
            this.socket = socket;
            this.host = host;
        }

        void headerDeadline(long deadlineNanos) {
            this.headerDeadline = deadlineNanos;
        }

        void body(long length, Duration stall) throws IOException {
            this.remaining = length;
            this.headerDeadline = 0;
            socket.setSoTimeout((int) stall.toMillis());
            windowStart = System.nanoTime();
        }

        /** The body's own failure (cut short, too long, stalled), if it had one; the S3 client may have wrapped it in something else. */
        IOException failure() {
            return failure;
        }

        private Truncated fail(String message) {
            Truncated t = new Truncated(message);
            failure = t;
            return t;
        }

        private boolean fill() throws IOException {
            if (pos < end) {
                return true;
            }
            if (headerDeadline != 0) {
                long ms = (headerDeadline - System.nanoTime()) / 1_000_000;
                if (ms <= 0) {
                    throw new SocketTimeoutException();
                }
                socket.setSoTimeout((int) ms);
            }
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                if (headerDeadline != 0) {
                    throw e; // still the answer's headers: a timeout of the request, said by the caller
                }
                throw fail("the body from " + host + " stalled after " + read + " bytes (no data for " + socket.getSoTimeout() / 1000 + " s)");
            }
            if (n <= 0) {
                return false;
            }
            pos = 0;
            end = n;
            if (headerDeadline == 0) {
                windowBytes += n;
                long elapsed = System.nanoTime() - windowStart;
                if (elapsed > RATE_WINDOW_NANOS) {
                    if (windowBytes * 1_000_000_000L / elapsed < MIN_BYTES_PER_SECOND) {
                        throw fail("the body from " + host + " came at " + windowBytes * 1_000_000_000L / elapsed + " bytes/s after " + read
                                + " bytes, below the " + MIN_BYTES_PER_SECOND + " bytes/s a copy needs");
                    }
                    windowStart = System.nanoTime();
                    windowBytes = 0;
                }
            }
            return true;
        }

        String line(int[] budget) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                if (!fill()) {
                    throw new IOException("the connection closed before the answer was complete");
                }
                byte b = buffer[pos++];
                if (--budget[0] < 0) {
                    throw new IOException("the answer's headers are too large");
                }
                if (b == '\n') {
                    String s = line.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                line.write(b);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done || len == 0) {
                return done ? -1 : 0;
            }
            if (remaining == -2) {
                return chunked(b, off, len);
            }
            if (remaining == 0) {
                done = true;
                return -1;
            }
            if (!fill()) {
                if (remaining > 0) {
                    throw fail("the body from " + host + " ended after " + read + " bytes, " + remaining + " short of its Content-Length");
                }
                done = true;
                return -1;
            }
            int take = (int) Math.min(end - pos, remaining < 0 ? len : Math.min(len, remaining));
            System.arraycopy(buffer, pos, b, off, take);
            pos += take;
            read += take;
            if (remaining > 0) {
                remaining -= take;
                if (remaining == 0) {
                    finish(); // before the last bytes go on: a body that runs on must never reach S3 as complete
                }
            }
            return take;
        }

        /** After Content-Length bytes: anything more than the declared body means the length was wrong. */
        private void finish() throws IOException {
            done = true;
            if (pos < end) {
                throw fail("the body from " + host + " is longer than its Content-Length of " + read + " bytes");
            }
            int before = socket.getSoTimeout();
            socket.setSoTimeout(200);
            try {
                if (in.read() >= 0) {
                    throw fail("the body from " + host + " is longer than its Content-Length of " + read + " bytes");
                }
            } catch (SocketTimeoutException e) {
                // the server keeps the connection open without sending more: the body was complete
            } finally {
                socket.setSoTimeout(before);
            }
        }

        private int chunked(byte[] b, int off, int len) throws IOException {
            if (chunkLeft == 0) {
                if (read > 0 && !line(new int[] { 1024 }).isEmpty()) { // the CRLF after the previous chunk, and nothing else
                    throw fail("the chunked body from " + host + " has more bytes in a chunk than its size says, after " + read + " bytes");
                }
                String size = line(new int[] { 1024 }).split(";", 2)[0].trim();
                if (!CHUNK_SIZE.matcher(size).matches()) {
                    throw fail("the chunked body from " + host + " is malformed after " + read + " bytes");
                }
                chunkLeft = Long.parseLong(size, 16);
                if (chunkLeft == 0) {
                    done = true;
                    return -1;
                }
            }
            if (!fill()) {
                throw fail("the chunked body from " + host + " ended after " + read + " bytes, inside a chunk");
            }
            int take = (int) Math.min(Math.min(end - pos, len), chunkLeft);
            System.arraycopy(buffer, pos, b, off, take);
            pos += take;
            read += take;
            chunkLeft -= take;
            return take;
        }
    }
}
