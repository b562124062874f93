package io.wharf.copy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.copy.CopyFixtures;
import io.wharf.testing.Sql;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What copies leave behind (an object of a claim that lost its lease, one of no job at all, an upload a killed
 * worker never finished) is removed once old enough; what a job recorded, what a claim with a running lease is
 * writing, and what an S3 column names stay. The pass is run on this test's own part of the prefix, with "now"
 * as the age limit, so that no other test's objects are touched and nothing waits for the grace period.
 */
@QuarkusTest
class LeftoverSweepTest {

    @Inject
    DataSource ds;

    @Inject
    S3Client s3;

    @Inject
    LeftoverSweeper sweeper;

    @ConfigProperty(name = "wharf.s3.bucket")
    String bucket;

    private void put(String key) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(new byte[] { 1 }));
    }

    private UUID job(String status, String key, UUID token, boolean leased) {
        UUID id = UUID.randomUUID();
        Sql.exec(ds, "INSERT INTO s3_migration_log (id, table_name, record_id, source_column, old_url, migration_status, s3_bucket, s3_key, "
                + "claim_token, lease_owner, lease_expires_at) VALUES (?, 'business_profiles', ?, 'avatar_url', ?, ?, ?, ?, ?, ?, "
                + (leased ? "now() + interval '1 hour'" : "NULL") + ")", id, UUID.randomUUID(), "https://old.example/" + id, status, bucket, key,
                token, leased ? "another-worker" : null);
        return id;
    }

    @Test
    void leftoversGoAndWhatIsRecordedOrInFlightStays() {
        String under = "legacy/sweep-" + UUID.randomUUID() + "/avatar_url/";
        UUID recordedToken = UUID.randomUUID();
        UUID recorded = UUID.randomUUID();
        String recordedKey = under + recorded + "-" + recordedToken + ".jpg";
        Sql.exec(ds, "INSERT INTO s3_migration_log (id, table_name, record_id, source_column, old_url, migration_status, s3_bucket, s3_key, "
                + "claim_token) VALUES (?, 'business_profiles', ?, 'avatar_url', ?, 'migrated', ?, ?, ?)", recorded, UUID.randomUUID(),
                "https://old.example/" + recorded, bucket, recordedKey, recordedToken);
        put(recordedKey);
        UUID liveToken = UUID.randomUUID();
        UUID copying = job("pending", null, liveToken, true);
        String inFlight = under + copying + "-" + liveToken + ".jpg"; // copied, its outcome waiting to be recorded
        put(inFlight);
        String lostClaim = under + copying + "-" + UUID.randomUUID() + ".jpg"; // an earlier claim's, whose lease was lost
        put(lostClaim);
        String noJob = under + UUID.randomUUID() + "-" + UUID.randomUUID() + ".jpg";
        put(noJob);
        String named = under + "kept-by-a-column.jpg";
        put(named);
        UUID profile = CopyFixtures.profile(ds, null, null, null);
        Sql.exec(ds, "UPDATE business_profiles SET avatar_s3_url = ? WHERE id = ?", "https://" + bucket + ".s3.amazonaws.com/" + named, profile);
        // unfinished uploads: one of a worker killed mid-copy, one a live claim is sending right now
        String killedKey = under + UUID.randomUUID() + "-" + UUID.randomUUID() + ".bin";
        s3.createMultipartUpload(b -> b.bucket(bucket).key(killedKey));
        String sendingKey = under + copying + "-" + liveToken + ".bin";
        s3.createMultipartUpload(b -> b.bucket(bucket).key(sendingKey));

        LeftoverSweeper.Swept swept = sweeper.sweep(under, Instant.now().plusSeconds(5));

        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix(under)).contents()).extracting(S3Object::key)
                .containsExactlyInAnyOrder(recordedKey, inFlight, named);
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket).prefix(under)).uploads()).extracting(MultipartUpload::key)
                .containsExactly(sendingKey);
        assertThat(swept).isEqualTo(new LeftoverSweeper.Swept(1, 2));
        // nothing younger than the grace period is touched
        String fresh = under + UUID.randomUUID() + "-" + UUID.randomUUID() + ".jpg";
        put(fresh);
        assertThat(sweeper.sweep(under, Instant.now().minusSeconds(60))).isEqualTo(new LeftoverSweeper.Swept(0, 0));
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix(fresh)).contents()).hasSize(1);
    }
}
