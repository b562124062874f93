package io.wharf.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * A legacy file server on loopback that can misbehave, written on raw sockets so that it can break HTTP the
 * way real servers do. A file is served at {@code /files/<name>}; its behaviour is chosen per name:
 * {@code ok} (the default), {@code missing} (404), {@code flaky} (500 on the first request, then the file),
 * {@code busy} (429 with Retry-After: 1, then the file), {@code truncated} (Content-Length says more than is
 * sent, then the connection closes), {@code longer} (more bytes than Content-Length), {@code stall} (half the
 * body, then silence for 10 s), {@code slow} (the body trickled in small pieces), {@code chunked},
 * {@code slow-then-ok} (stalls the first time only), {@code trickle} (Content-Length: 5G, then 1 KiB a second
 * until the client goes away), {@code chunk-overrun} (a chunk longer than its size),
 * {@code two-lengths} (conflicting Content-Length headers) and {@code gzip} (compressed despite identity).
 * An origin started with {@link #startKeepingAlive()} answers {@code ok}, {@code longer} and the second tries of
 * {@code flaky} and {@code busy} without Connection: close and waits for the next request on the same
 * connection, as nginx or Apache do; {@code drop} there answers the same way and then closes the connection, as
 * a server whose idle timeout ends just then, and {@code longer-late} sends its bytes past Content-Length a
 * moment after the body, in a segment of their own. {@link #redirect} answers a name with 302 to any URL, and
 * {@link #startOn} binds another loopback address (127.0.0.2 stands for an internal host in the tests).
 * {@link #serveChanging} serves a file that is replaced while its first request trickles, and {@code html} is
 * sent as text/html.
 */
public final class LegacyOrigin implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "legacy-origin");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, String> behaviour = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger answering = new AtomicInteger();
    private final Map<String, Integer> trickleSeconds = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final boolean keepAlive;
    private volatile boolean running = true;

    private LegacyOrigin(ServerSocket server, boolean keepAlive) {
        this.server = server;
        this.keepAlive = keepAlive;
    }

    public static LegacyOrigin start() throws IOException {
        return start(false);
    }

    /** An origin that keeps connections open between requests (HTTP/1.1 keep-alive). */
    public static LegacyOrigin startKeepingAlive() throws IOException {
        return start(true);
    }

    /** An origin on another loopback address, such as 127.0.0.2. */
    public static LegacyOrigin startOn(String address) throws IOException {
        LegacyOrigin o = new LegacyOrigin(new ServerSocket(0, 200, InetAddress.getByName(address)), false);
        o.pool.execute(o::accept);
        return o;
    }

    /** An origin on a given port (one that refused connections until now, say). */
    public static LegacyOrigin startOn(int port) throws IOException {
        LegacyOrigin o = new LegacyOrigin(new ServerSocket(port, 200, InetAddress.getLoopbackAddress()), false);
        o.pool.execute(o::accept);
        return o;
    }

    private static LegacyOrigin start(boolean keepAlive) throws IOException {
        LegacyOrigin o = new LegacyOrigin(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()), keepAlive);
        o.pool.execute(o::accept);
        return o;
    }

    /** Serves {@code bytes} at the URL this returns, behaving as {@code how}. */
    public String serve(String name, byte[] bytes, String how) {
        files.put(name, bytes);
        behaviour.put(name, how);
        return url(name);
    }

    /** Answers {@code /files/<name>} with 302 to location; the URL of name is returned. */
    public String redirect(String name, String location) {
        redirects.put(name, location);
        return url(name);
    }

    /**
     * The first request gets {@code first} trickled over about {@code seconds}; later requests get {@code then} at
     * once, as if the file had been replaced meanwhile.
     */
    public String serveChanging(String name, byte[] first, byte[] then, int seconds) {
        files.put(name + "#then", then);
        trickleSeconds.put(name, seconds);
        return serve(name, first, "changing");
    }

    /** Answers still being sent (a trickle ends early when the client goes away). */
    public int answering() {
        return answering.get();
    }

    public String url(String name) {
        return "http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort() + "/files/" + name;
    }

    public int port() {
        return server.getLocalPort();
    }

    public int hits(String name) {
        AtomicInteger n = hits.get(name);
        return n == null ? 0 : n.get();
    }

    public int requests() {
        return requests.get();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (running) {
            try {
                Socket s = server.accept();
                open.add(s);
                connections.incrementAndGet();
                pool.execute(() -> handle(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            while (answering(s)) {
                // the next request on the same connection
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(s);
        }
    }

    private boolean answering(Socket s) throws IOException, InterruptedException {
        answering.incrementAndGet();
        try {
            return answer(s);
        } finally {
            answering.decrementAndGet();
        }
    }

    /** Reads one request and answers it; true when the connection stays open for another. */
    private boolean answer(Socket s) throws IOException, InterruptedException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        if (b < 0) {
            return false;
        }
        requests.incrementAndGet();
        String line = head.toString().split("\r\n", 2)[0];
        String path = line.split(" ").length > 1 ? line.split(" ")[1] : "/";
        String name = path.startsWith("/files/") ? path.substring(7) : "";
        int hit = hits.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        byte[] body = files.get(name);
        OutputStream out = s.getOutputStream();
        if (redirects.containsKey(name)) {
            out.write(("HTTP/1.1 302 Found\r\nLocation: " + redirects.get(name) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            return false;
        }
        String how = behaviour.getOrDefault(name, "ok");
        if (body == null || how.equals("missing")) {
            write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return false;
        }
        switch (how) {
            case "flaky" -> {
                if (hit == 1) {
                    write(out, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return false;
                }
                ok(out, body);
                out.flush();
                return keepAlive;
            }
            case "busy" -> {
                if (hit == 1) {
                    write(out, "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return false;
                }
                ok(out, body);
                out.flush();
                return keepAlive;
            }
            case "truncated" -> {
                write(out, header(body.length + 1000));
                out.write(body, 0, body.length / 2);
            }
            case "longer" -> {
                write(out, header(body.length - 10));
                out.write(body);
                out.flush();
                return keepAlive;
            }
            case "drop" -> { // kept open by its headers, closed right after
                ok(out, body);
            }
            case "longer-late" -> {
                write(out, header(body.length - 10));
                out.write(body, 0, body.length - 10);
                out.flush();
                Thread.sleep(1);
                out.write(body, body.length - 10, 10);
                out.flush();
                return keepAlive;
            }
            case "stall", "slow-then-ok" -> {
                if (how.equals("slow-then-ok") && hit > 1) {
                    ok(out, body);
                    return false;
                }
                write(out, header(body.length));
                out.write(body, 0, body.length / 2);
                out.flush();
                Thread.sleep(10_000);
            }
            case "trickle" -> {
                write(out, header(5L << 30));
                for (int i = 0; running; i++) {
                    out.write(body, (i * 1024) % Math.max(1, body.length - 1024), Math.min(1024, body.length));
                    out.flush();
                    Thread.sleep(1_000);
                }
            }
            case "slow" -> {
                write(out, header(body.length));
                for (int i = 0; i < body.length; i += 4096) {
                    out.write(body, i, Math.min(4096, body.length - i));
                    out.flush();
                    Thread.sleep(20);
                }
            }
            case "changing" -> {
                if (hit > 1) {
                    ok(out, files.get(name + "#then"));
                    break;
                }
                write(out, header(body.length));
                int pieces = trickleSeconds.get(name) * 4;
                int piece = (body.length + pieces - 1) / pieces;
                for (int i = 0; i < body.length; i += piece) {
                    out.write(body, i, Math.min(piece, body.length - i));
                    out.flush();
                    Thread.sleep(250);
                }
            }
            case "html" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n");
                out.write(body);
            }
            case "chunked" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
                for (int i = 0; i < body.length; i += 7000) {
                    int n = Math.min(7000, body.length - i);
                    write(out, Integer.toHexString(n) + "\r\n");
                    out.write(body, i, n);
                    write(out, "\r\n");
                }
                write(out, "0\r\n\r\n");
            }
            case "chunk-overrun" -> { // a chunk longer than its size line says
                write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
                write(out, Integer.toHexString(body.length - 2) + "\r\n");
                out.write(body);
                write(out, "\r\n0\r\n\r\n");
            }
            case "two-lengths" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + (body.length + 5) + "\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n");
                out.write(body);
            }
            case "gzip" -> { // compressed although identity was asked for
                ByteArrayOutputStream z = new ByteArrayOutputStream();
                try (GZIPOutputStream g = new GZIPOutputStream(z)) {
                    g.write(body);
                }
                write(out, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + z.size() + "\r\nConnection: close\r\n\r\n");
                out.write(z.toByteArray());
            }
            default -> {
                ok(out, body);
                out.flush();
                return keepAlive;
            }
        }
        out.flush();
        return false;
    }

    private void ok(OutputStream out, byte[] body) throws IOException {
        write(out, header(body.length));
        out.write(body);
    }

    private String header(long length) {
        return "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: " + length + (keepAlive ? "" : "\r\nConnection: close")
                + "\r\n\r\n";
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
        for (Socket s : open) { // kept-alive connections would otherwise wait for the client to close them
            s.close();
        }
        pool.shutdownNow();
    }
}
