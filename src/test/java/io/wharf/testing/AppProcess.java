package io.wharf.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application (target/quarkus-app) started as its own process, the way it is deployed, for
 * tests that need a real process: start-up, restarts, several instances on one database, a database
 * outage under load, what a production start does and does not do.
 */
public final class AppProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private AppProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public static AppProcess start(TestDatabases.Db db, Map<String, String> extra) throws IOException {
        return start(db, extra, Path.of("").toAbsolutePath());
    }

    /** Started in {@code workDir}, so that whatever it writes relative to its working directory lands there. */
    public static AppProcess start(TestDatabases.Db db, Map<String, String> extra, Path workDir) throws IOException {
        return start(db, extra, workDir, Map.of());
    }

    /**
     * With environment variables too: a setting given as one (WHARF_X_Y) is ignored by a build that does not know it,
     * where a system property it does not know would stop it from starting.
     */
    public static AppProcess start(TestDatabases.Db db, Map<String, String> extra, Path workDir, Map<String, String> env) throws IOException {
        String jar = Path.of(System.getProperty("wharf-it.app-jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath().toString();
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=" + db.jdbcUrl(),
                "-Dquarkus.datasource.username=" + db.server().user(),
                "-Dquarkus.datasource.password=" + db.server().password(),
                "-Dquarkus.datasource.jdbc.min-size=1",
                "-Dquarkus.s3.endpoint-override=http://127.0.0.1:9",
                "-Dquarkus.s3.aws.credentials.type=static",
                "-Dquarkus.s3.aws.credentials.static-provider.access-key-id=x",
                "-Dquarkus.s3.aws.credentials.static-provider.secret-access-key=y",
                "-Dwharf.crypto.keys=it1:" + Base64.getEncoder().encodeToString(new byte[32]),
                // the migration worker drains only where a test asks for it (extra may turn it on)
                "-Dwharf.copy.enabled=" + extra.getOrDefault("wharf.copy.enabled", "false")));
        extra = new HashMap<>(extra);
        extra.remove("wharf.copy.enabled");
        extra.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar);
        Path log = Files.createTempFile("wharf-app-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        return new AppProcess(p, log, port);
    }

    /** Waits until the service answers liveness, or fails with its output if it exits first. */
    public AppProcess awaitUp(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Wharf exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (http.send(HttpRequest.newBuilder(url("/q/health/live")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Wharf did not start within " + timeout + ":\n" + output());
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    public int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("Wharf kept running:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL: the process gets no chance to clean up, as in a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The command lines of the processes it started (and theirs), while it runs. */
    public List<String> childCommands() {
        return process.descendants().map(h -> h.info().commandLine().orElse(String.valueOf(h.pid()))).toList();
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A request with a key; returns status and body. */
    public HttpResponse<String> call(String method, String path, String key, String jsonBody) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).header("Authorization", "Bearer " + key)
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
