package io.wharf.connector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/** A real HTTP server on loopback standing in for a tenant's API: /ok wants a Bearer token, /slow stalls, /to-private redirects inward. */
final class LocalHttpServer implements AutoCloseable {

    private final HttpServer server;
    private volatile String lastAuthorization;

    private LocalHttpServer(HttpServer server) {
        this.server = server;
    }

    static LocalHttpServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        LocalHttpServer s = new LocalHttpServer(server);
        server.createContext("/ok", ex -> {
            s.lastAuthorization = ex.getRequestHeaders().getFirst("Authorization");
            int status = "Bearer s3cret-token".equals(s.lastAuthorization) ? 200 : 401;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(4000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/to-private", ex -> {
            ex.getResponseHeaders().add("Location", "http://10.0.0.1/internal");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        return s;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    String lastAuthorization() {
        return lastAuthorization;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
