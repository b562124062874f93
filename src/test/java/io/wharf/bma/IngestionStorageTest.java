package io.wharf.bma;

import static io.wharf.bma.BmaFixtures.inline;
import static io.wharf.bma.BmaFixtures.jpeg;
import static io.wharf.bma.BmaFixtures.png;
import static io.wharf.bma.BmaFixtures.record;
import static io.wharf.bma.BmaFixtures.transaction;
import static io.wharf.bma.BmaFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.common.annotation.Identifier;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A request's S3 calls run under one deadline, and ingestion and the migration have S3 connections of their
 * own: with every connection of one side held, the other side still works.
 */
@QuarkusTest
class IngestionStorageTest {

    private static final String POST = "/api/integration/bma/transaction";

    @Inject
    DataSource ds;

    /** The client the migration and the rest of Wharf use (quarkus.s3.*). */
    @Inject
    S3Client s3;

    @Inject
    @Any
    Instance<S3Client> clients;

    @ConfigProperty(name = "wharf.s3.bucket")
    String bucket;

    @ConfigProperty(name = "quarkus.s3.sync-client.apache.max-connections")
    int sharedConnections;

    @ConfigProperty(name = "wharf.bma.s3-connections", defaultValue = "0")
    int ingestionConnections;

    /** Opens as many downloads as the client has connections and reads none to the end: every connection is busy. */
    private List<InputStream> holdAll(S3Client client, String key, int connections) {
        List<InputStream> held = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            held.add(client.getObject(b -> b.bucket(bucket).key(key)));
        }
        return held;
    }

    private static void release(List<InputStream> held) {
        for (InputStream in : held) {
            if (in instanceof ResponseInputStream<?> r) {
                r.abort(); // no reading to the end: the connection goes
            }
        }
    }

    /** An object of the tenant in Wharf's bucket that a transaction may name by URL (checked with a HEAD). */
    private String ownObject(TestTenant t) {
        String key = "ingest/" + t.id() + "/own-" + UUID.randomUUID() + ".jpg";
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg"), RequestBody.fromBytes(jpeg(200_000, 3)));
        return key;
    }

    @Test
    void ingestionWorksWhileEverySharedConnectionIsHeld() {
        TestTenant t = TestTenants.client();
        String key = ownObject(t);
        List<InputStream> held = holdAll(s3, key, sharedConnections);
        try {
            long started = System.nanoTime();
            Map<String, Object> body = transaction(BmaFixtures.newId(), List.of(record("PET", 1,
                    List.of(url("https://" + bucket + ".s3.amazonaws.com/" + key), inline(png(4_000, 1), "image/png")))));
            Response r = t.as().contentType("application/json").body(body).post(POST);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
            assertThat(millis).isLessThan(8_000);
        } finally {
            release(held);
        }
    }

    @Test
    void ingestionS3CallsBeyondTheDeadlineAre503AndStoreNothing() throws Exception {
        TestTenant t = TestTenants.client();
        String key = ownObject(t);
        Instance<S3Client> own = clients.select(Identifier.Literal.of("ingestion"));
        S3Client ingestion = own.isResolvable() ? own.get() : s3;
        List<InputStream> held = holdAll(ingestion, key, ingestionConnections > 0 ? ingestionConnections : sharedConnections);
        long millis;
        Response r;
        try {
            List<Map<String, Object>> images = new ArrayList<>();
            images.add(inline(jpeg(5_000, 2), "image/jpeg"));
            images.add(url("https://" + bucket + ".s3.amazonaws.com/" + key));
            long started = System.nanoTime();
            r = t.as().contentType("application/json").body(transaction(BmaFixtures.newId(), List.of(record("PET", 1, images)))).post(POST);
            millis = (System.nanoTime() - started) / 1_000_000;
            // meanwhile the rest of Wharf reaches S3 as usual: its client, and an upload's completion (a HEAD and a ranged GET)
            assertThat(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength()).isEqualTo(200_000L);
            Uploads.completed(t, png(3_000, 7), "image/png");
        } finally {
            release(held);
        }
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(503);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
        assertThat(millis).isLessThan(12_000);
        assertThat(BmaFixtures.Stored.of(ds, s3, bucket, t)).isEqualTo(new BmaFixtures.Stored(0, 0, 0, 0, 1));
        // with the connections free again the same request goes through
        t.as().contentType("application/json").body(transaction(BmaFixtures.newId(), List.of(record("PET", 1,
                List.of(url("https://" + bucket + ".s3.amazonaws.com/" + key)))))).post(POST).then().statusCode(201);
    }

    @Test
    void manyImagesAreCheckedAndWrittenInParallel() {
        TestTenant t = TestTenants.client();
        List<Map<String, Object>> records = new ArrayList<>();
        String key = ownObject(t);
        for (int r = 0; r < 4; r++) {
            records.add(record("PET", 1, List.of(inline(jpeg(3_000, r * 10L), "image/jpeg"), inline(png(3_000, r * 10L + 1), "image/png"),
                    url("https://" + bucket + ".s3.amazonaws.com/" + key))));
        }
        t.as().contentType("application/json").body(transaction(BmaFixtures.newId(), records)).post(POST).then().statusCode(201);
        assertThat(BmaFixtures.Stored.of(ds, s3, bucket, t)).isEqualTo(new BmaFixtures.Stored(1, 4, 12, 0, 9));
    }
}
