package io.wharf.bma;

import static io.wharf.bma.BmaFixtures.inline;
import static io.wharf.bma.BmaFixtures.jpeg;
import static io.wharf.bma.BmaFixtures.record;
import static io.wharf.bma.BmaFixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** What a crash between upload and commit leaves under the ingestion prefix is removed; nothing in use is. */
@QuarkusTest
class OrphanSweepTest {

    @Inject
    DataSource ds;

    @Inject
    S3Client s3;

    @Inject
    OrphanSweeper sweeper;

    @ConfigProperty(name = "wharf.s3.bucket")
    String bucket;

    @Test
    void onlyObjectsNoFileAndNoRequestInFlightNeedsAreRemoved() throws Exception {
        TestTenant t = TestTenants.client();
        t.as().contentType("application/json").body(transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of(inline(jpeg(3_000, 1),
                "image/jpeg")))))).when().post("/api/integration/bma/transaction").then().statusCode(201);
        String used = (String) Sql.scalar(ds, "SELECT s3_key FROM files WHERE tenant_id = ?", t.id());
        // a crash after the upload: the object, and no row
        String orphan = "ingest/" + t.id() + "/deadbeef/0-0-0123456789abcdef.jpg";
        // a request in flight: its object is listed, its rows not yet committed
        String inFlight = "ingest/" + t.id() + "/cafebabe/0-0-0123456789abcdef.jpg";
        for (String key : List.of(orphan, inFlight)) {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg"), RequestBody.fromBytes(jpeg(1_000, 2)));
        }
        Sql.exec(ds, "INSERT INTO ingest_pending_objects (attempt_id, s3_bucket, s3_key) VALUES (?, ?, ?)", UUID.randomUUID(), bucket, inFlight);
        Thread.sleep(1_500); // %test min-age is 1s: younger objects are left alone
        Sql.exec(ds, "UPDATE ingest_pending_objects SET created_at = now() WHERE s3_key = ?", inFlight);

        assertThat(sweeper.sweep()).isGreaterThanOrEqualTo(1);
        List<String> left = s3.listObjectsV2(b -> b.bucket(bucket).prefix("ingest/" + t.id() + "/")).contents().stream().map(o -> o.key()).toList();
        assertThat(left).containsExactlyInAnyOrder(used, inFlight);

        // an attempt older than min-age crashed: its object goes on the next pass
        Sql.exec(ds, "UPDATE ingest_pending_objects SET created_at = now() - interval '1 hour' WHERE s3_key = ?", inFlight);
        sweeper.sweep();
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("ingest/" + t.id() + "/")).contents()).extracting(o -> o.key())
                .containsExactly(used);
    }
}
