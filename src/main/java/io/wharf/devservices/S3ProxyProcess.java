package io.wharf.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A real S3 server for dev mode and tests where no Docker engine can run MinIO: S3Proxy with its
 * filesystem backend, started as a child process on a free loopback port. It is a separate JVM so its
 * own dependencies never meet Wharf's classpath.
 */
public final class S3ProxyProcess implements AutoCloseable {

    public static final String ACCESS_KEY = "local-access";
    public static final String SECRET_KEY = "local-secret";

    private final Process process;
    private final String endpoint;
    private final Path log;

    private S3ProxyProcess(Process process, String endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /**
     * Starts S3Proxy from {@code jar}, storing objects under {@code dataDir}, and waits until it accepts
     * connections.
     */
    public static S3ProxyProcess start(Path jar, Path dataDir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar not found at " + jar
                    + "; run ./mvnw process-test-resources to fetch it from Maven Central");
        }
        try {
            Files.createDirectories(dataDir.resolve("blobs"));
            int port = freePort();
            String endpoint = "http://127.0.0.1:" + port;
            Properties p = new Properties();
            p.setProperty("s3proxy.endpoint", endpoint);
            p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            p.setProperty("s3proxy.identity", ACCESS_KEY);
            p.setProperty("s3proxy.credential", SECRET_KEY);
            p.setProperty("jclouds.provider", "filesystem");
            p.setProperty("jclouds.filesystem.basedir", dataDir.resolve("blobs").toAbsolutePath().toString());
            Path conf = dataDir.resolve("s3proxy.conf");
            try (var out = Files.newOutputStream(conf)) {
                p.store(out, "written by Wharf's local services");
            }
            Path log = dataDir.resolve("s3proxy.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-jar", jar.toAbsolutePath().toString(), "--properties", conf.toAbsolutePath().toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            S3ProxyProcess s3 = new S3ProxyProcess(process, endpoint, log);
            s3.awaitReady(port, Duration.ofSeconds(60));
            return s3;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start S3Proxy", e);
        }
    }

    public String endpoint() {
        return endpoint;
    }

    public long pid() {
        return process.pid();
    }

    /** Creates the bucket unless it exists. */
    public void createBucket(String bucket) {
        try (S3Client s3 = client()) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            // already there
        }
    }

    /** An S3 client for this server, for helpers and tests. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitReady(int port, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ": " + tail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not start within " + timeout + ": " + tail());
    }

    private String tail() throws IOException {
        String all = Files.exists(log) ? Files.readString(log) : "";
        return all.length() > 2000 ? all.substring(all.length() - 2000) : all;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
