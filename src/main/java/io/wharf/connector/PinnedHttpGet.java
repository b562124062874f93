package io.wharf.connector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import io.wharf.common.net.OutboundAddressPolicy;
/**
 * One HTTP/1.1 GET sent to an address that was already vetted, so that the name is not resolved a
 * second time (DNS rebinding); TLS still sends the name (SNI) and verifies the certificate against it.
 * java.net.http cannot do that, and its timeout does not cover the body on Java 17: here one deadline
 * covers connect, handshake, headers and body, and at most {@code maxBodyBytes} of the body are read.
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

    private PinnedHttpGet() {
    }

    static Response get(URI uri, InetAddress address, String authorization, long deadlineNanos, int maxBodyBytes, SSLSocketFactory tls)
            throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        // "name." is the absolute form of "name": SNI and certificates carry it without the dot (RFC 6066 section 3)
        String bareHost = OutboundAddressPolicy.withoutTrailingDot(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        int port = port(uri);
        Socket raw = new Socket();
        try (raw) {
            try {
                raw.connect(new InetSocketAddress(address, port), remainingMillis(deadlineNanos));
            } catch (SocketTimeoutException e) {
                throw new DeadlineExceeded();
            }
            Socket socket = raw;
            if (https) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(raw, bareHost, port, true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (!bareHost.contains(":") && !bareHost.matches("[0-9.]+")) {
                    params.setServerNames(List.of(new SNIHostName(bareHost)));
                }
                ssl.setSSLParameters(params);
                ssl.setSoTimeout(remainingMillis(deadlineNanos));
                try {
                    ssl.startHandshake();
                } catch (SocketTimeoutException e) {
                    throw new DeadlineExceeded();
                }
                socket = ssl;
            }
            String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            StringBuilder request = new StringBuilder().append("GET ").append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append(uri.getPort() > 0 ? ":" + uri.getPort() : "").append("\r\n")
                    .append("User-Agent: wharf-connection-test\r\nAccept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n");
            if (authorization != null) {
                request.append("Authorization: ").append(authorization).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(new DeadlineInput(socket, deadlineNanos), maxBodyBytes);
        }
    }

    private static Response read(DeadlineInput in, int maxBodyBytes) throws IOException {
        int[] headerBudget = { MAX_HEADER_BYTES };
        while (true) {
            String statusLine = in.line(headerBudget);
            if (!statusLine.matches("HTTP/1\\.[01] [0-9]{3}( .*)?")) {
                throw new IOException("not an HTTP/1.1 answer");
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            String location = null;
            long length = -1;
            boolean chunked = false;
            for (String line = in.line(headerBudget); !line.isEmpty(); line = in.line(headerBudget)) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                switch (name) {
                    case "location" -> location = value;
                    case "content-length" -> length = value.matches("[0-9]{1,18}") ? Long.parseLong(value) : -1;
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                    default -> {
                    }
                }
            }
            if (status >= 100 && status < 200) {
                continue; // an interim answer; the real one follows
            }
            if (status != 204 && status != 304) {
                skipBody(in, chunked, length, maxBodyBytes);
            }
            return new Response(status, location);
        }
    }

    /** Reads the body only to be sure the whole answer arrived in time, and stops after maxBodyBytes. */
    private static void skipBody(DeadlineInput in, boolean chunked, long length, int maxBodyBytes) throws IOException {
        long budget = maxBodyBytes;
        if (chunked) {
            while (budget > 0) {
                String sizeLine = in.line(new int[] { 1024 }).split(";", 2)[0].trim();
                if (!sizeLine.matches("[0-9A-Fa-f]{1,15}")) {
                    throw new IOException("malformed chunked body");
                }
                long size = Long.parseLong(sizeLine, 16);
                if (size == 0) {
                    return;
                }
                long take = Math.min(size, budget);
                budget -= in.skip(take);
                if (take < size) {
                    return;
                }
                in.line(new int[] { 1024 });
            }
            return;
        }
        in.skip(length < 0 ? budget : Math.min(length, budget));
    }

    /** The URL's port, or the scheme's; one out of range is refused before anything is opened. */
    static int port(URI uri) throws IOException {
        int port = uri.getPort() != -1 ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        if (port < 1 || port > 65535) {
            throw new IOException("the port must be a number from 1 to 65535");
        }
        return port;
    }

    private static int remainingMillis(long deadlineNanos) throws DeadlineExceeded {
        long ms = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new DeadlineExceeded();
        }
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    /** Every read waits at most until the deadline, however slowly the bytes trickle in. */
    private static final class DeadlineInput {
        private final Socket socket;
        private final InputStream in;
        private final long deadlineNanos;
        private final byte[] buffer = new byte[8192];
        private int pos;
        private int end;

        DeadlineInput(Socket socket, long deadlineNanos) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadlineNanos = deadlineNanos;
        }

        /** False at the end of the stream. */
        private boolean fill() throws IOException {
            if (pos < end) {
                return true;
            }
            socket.setSoTimeout(remainingMillis(deadlineNanos));
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                throw new DeadlineExceeded();
            }
            if (n <= 0) {
                return false;
            }
            pos = 0;
            end = n;
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

        /** Skips up to n bytes, fewer if the stream ends; returns how many. */
        long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n && fill()) {
                int take = (int) Math.min(end - pos, n - skipped);
                pos += take;
                skipped += take;
            }
            return skipped;
        }
    }
}
