package io.wharf.testing;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.wharf.devservices.LocalPostgres;
import io.wharf.devservices.S3ProxyProcess;

/**
 * Gives every Quarkus boot in the test run a database of its own (unique name, dropped at the end) and
 * a real S3 server (S3Proxy, filesystem backend under target/) and the test DNS server ({@link FakeDns}),
 * and hands their coordinates to Quarkus as configuration. An explicitly configured endpoint (WHARF_TEST_S3_ENDPOINT) is used as is.
 */
public class LocalServicesTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "wharf-test";

    private LocalPostgres postgres;
    private String database;
    private S3ProxyProcess s3;

    @Override
    public Map<String, String> start() {
        postgres = TestDatabases.server();
        database = TestDatabases.uniqueName("wharf_test");
        postgres.createIfMissing(database);
        String endpoint = System.getenv("WHARF_TEST_S3_ENDPOINT");
        if (endpoint == null || endpoint.isBlank()) {
            s3 = S3ProxyProcess.start(Path.of("target/s3proxy/s3proxy.jar"), Path.of("target/s3proxy-test", database));
            s3.createBucket(BUCKET);
            endpoint = s3.endpoint();
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
        if (s3 != null) {
            s3.close();
        }
        if (postgres != null && database != null) {
            postgres.drop(database);
        }
    }
}
