package io.wharf.copy.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.jboss.logging.Logger;

/**
 * Connections to legacy servers kept open between files. A migration fetches millions of files from a few
 * hosts; a new TCP connection (and, over https, a TLS handshake) per file costs both sides more than the file
 * itself, and the legacy server most of all. A connection is keyed by the address the outbound policy vetted
 * for this request, so a kept connection never bypasses that check, and it is only put back after its answer
 * ended exactly where it said. Idle connections are dropped after {@code keepFor}, well before servers
 * usually close them (nginx 75 s, Apache 5 s); one closed by the server anyway is noticed on its next request,
 * which is then sent again on a new connection. Files on many hosts (avatars linked from anywhere) must not
 * park a socket each: at most {@code maxIdle} are kept in all.
 */
public final class LegacyConnections implements AutoCloseable {

    /** Where a connection goes: the vetted address, the port, the scheme, and the name TLS and Host use. */
    public record Route(boolean https, InetAddress address, int port, String host) {
    }

    /** An open connection: the socket (TLS over {@code raw} when https) and its streams. */
    public static final class Connection implements AutoCloseable {
        final Route route;
        final Socket raw;
        final InputStream in;
        final OutputStream out;
        /** The URL last fetched on it, for the operator when the server misbehaves after its answer. */
        String lastUrl;
        private long idleSince;

        Connection(Route route, Socket raw, Socket stream) throws IOException {
            this.route = route;
            this.raw = raw;
            this.in = stream.getInputStream();
            this.out = stream.getOutputStream();
        }

        @Override
        public void close() {
            try {
                raw.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    /** No TCP connection could be made to the host at all (refused, unreachable, or no answer to connect). */
    public static final class Unreachable extends IOException {
        Unreachable(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static final Logger LOG = Logger.getLogger(LegacyConnections.class);
    private static final Pattern IPV4_CHARS = Pattern.compile("[0-9.]+");

    private final ConcurrentHashMap<Route, Deque<Connection>> idle = new ConcurrentHashMap<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final int maxIdlePerRoute;
    private final int maxIdle;
    private final long keepForNanos;
    private volatile boolean closed;

    public LegacyConnections(int maxIdlePerRoute, int maxIdle, Duration keepFor) {
        this.maxIdlePerRoute = maxIdlePerRoute;
        this.maxIdle = maxIdle;
        this.keepForNanos = keepFor.toNanos();
    }

    /** A new connection to the route's vetted address (TLS checked against the route's name), within the deadline. */
    public static Connection open(Route route, long deadline, int connectTimeoutMillis, SSLSocketFactory tls) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            try {
                socket.connect(new InetSocketAddress(route.address(), route.port()), connectTimeoutMillis);
            } catch (ConnectException | NoRouteToHostException | SocketTimeoutException e) {
                throw new Unreachable(e);
            }
            Socket s = socket;
            if (route.https()) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(socket, route.host(), route.port(), true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (!route.host().contains(":") && !IPV4_CHARS.matcher(route.host()).matches()) {
                    params.setServerNames(List.of(new SNIHostName(route.host())));
                }
                ssl.setSSLParameters(params);
                long ms = (deadline - System.nanoTime()) / 1_000_000;
                if (ms <= 0) {
                    throw new SocketTimeoutException();
                }
                ssl.setSoTimeout((int) ms);
                ssl.startHandshake();
                s = ssl;
            }
            return new Connection(route, socket, s);
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public boolean enabled() {
        return keepForNanos > 0 && maxIdlePerRoute > 0;
    }

    /** The most recently used idle connection to the route, or null; stale ones met on the way are closed. */
    public Connection take(Route route) {
        Deque<Connection> q = idle.get(route);
        if (q == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Connection c = q.pollFirst(); c != null; c = q.pollFirst()) {
            idleCount.decrementAndGet();
            if (now - c.idleSince < keepForNanos && !c.raw.isClosed() && nothingPending(c)) {
                return c;
            }
            c.close();
        }
        return null;
    }

    /** Keeps the connection for the next request to its route, or closes it when enough are kept already. */
    public void put(Connection c) {
        if (closed || !enabled()) {
            c.close();
            return;
        }
        long now = System.nanoTime();
        boolean[] kept = { false };
        // inside compute, so that a sweep removing an empty queue cannot race a connection into it
        idle.compute(c.route, (route, q) -> {
            Deque<Connection> queue = q == null ? new ConcurrentLinkedDeque<>() : q;
            expire(queue, now);
            if (queue.size() < maxIdlePerRoute && idleCount.get() < maxIdle) {
                c.idleSince = now;
                queue.offerFirst(c);
                idleCount.incrementAndGet();
                kept[0] = true;
            }
            return queue;
        });
        if (!kept[0]) {
            c.close();
        }
        if (closed) { // closed meanwhile: nothing may stay open after close()
            close();
        }
    }

    /** Closes the connections idle for longer than keep-alive, also of hosts no longer fetched from. */
    public void sweep() {
        long now = System.nanoTime();
        for (Route route : idle.keySet()) {
            idle.computeIfPresent(route, (r, q) -> {
                expire(q, now);
                return q.isEmpty() ? null : q;
            });
        }
    }

    /** The oldest connections are at the end of the queue. */
    private void expire(Deque<Connection> q, long now) {
        for (Connection old = q.peekLast(); old != null && now - old.idleSince >= keepForNanos; old = q.peekLast()) {
            if (q.removeLastOccurrence(old)) {
                idleCount.decrementAndGet();
                old.close();
            }
        }
    }

    /**
     * Bytes waiting on an idle connection were never asked for: the server sent more than its last answer said, too
     * late for that file to be refused. The connection is not reused and the operator is told.
     */
    private static boolean nothingPending(Connection c) {
        try {
            int pending = c.in.available();
            if (pending > 0) {
                LOG.warnf("%s sent %d bytes after the end of its answer for %s, unasked; the connection is closed. That file was copied as "
                        + "long as its Content-Length said and may be shorter than the server meant", c.route.host(), pending, c.lastUrl);
            }
            return pending == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        idle.values().forEach(q -> {
            for (Connection c = q.pollFirst(); c != null; c = q.pollFirst()) {
                idleCount.decrementAndGet();
                c.close();
            }
        });
    }
}
