package io.wharf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.wharf.devservices.LocalPostgres;
import io.wharf.devservices.S3ProxyProcess;

/**
 * Gives every Quarkus boot in the test run a database of its own (unique name, dropped at the end) and
 * a real S3 server (S3Proxy, filesystem backend under target/) and the test DNS server ({@link FakeDns}),
 * and hands their coordinates to Quarkus as configuration. An explicitly configured endpoint (WHARF_TEST_S3_ENDPOINT) is used as is. Wharf
 * reaches the local S3Proxy through a loopback relay ({@link #s3Relay()}) that a test can cut to make S3 unreachable.
 */
public class LocalServicesTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "wharf-test";

    private LocalPostgres postgres;
    private String database;
    private S3ProxyProcess s3;
    private static volatile TcpProxy relay;

    /** The relay between Wharf and S3 of the running Quarkus boot ({@link TcpProxy#cut()} is an S3 outage); null with WHARF_TEST_S3_ENDPOINT. */
    public static TcpProxy s3Relay() {
        return relay;
    }

    @Override
    public Map<String, String> start() {
        postgres = TestDatabases.server();
        database = TestDatabases.uniqueName("wharf_test");
        postgres.createIfMissing(database);
        String endpoint = System.getenv("WHARF_TEST_S3_ENDPOINT");
        relay = null;
        if (endpoint == null || endpoint.isBlank()) {
            s3 = S3ProxyProcess.start(Path.of("target/s3proxy/s3proxy.jar"), Path.of("target/s3proxy-test", database));
            s3.createBucket(BUCKET);
            try {
                relay = TcpProxy.start("127.0.0.1", URI.create(s3.endpoint()).getPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            endpoint = "http://127.0.0.1:" + relay.port();
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(database),
                "quarkus.datasource.username", postgres.user(),
                "quarkus.datasource.password", postgres.password(),
                "quarkus.s3.endpoint-override", endpoint,
                "wharf.s3.bucket", BUCKET,
                "wharf.outbound.dns-servers", FakeDns.shared().address());
    }

    @Override
    public void stop() {
        if (relay != null) {
            try {
                relay.close();
            } catch (IOException e) {
                // closed anyway
            }
        }
        if (s3 != null) {
            s3.close();
        }
        if (postgres != null && database != null) {
            postgres.drop(database);
        }
    }
}
