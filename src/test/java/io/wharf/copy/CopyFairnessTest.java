package io.wharf.copy;

import static io.wharf.copy.CopyFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.testing.LegacyOrigin;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import jakarta.inject.Inject;

/** One tenant's trickling origins cannot starve another tenant's files of copy slots. */
@QuarkusTest
class CopyFairnessTest {

    @Inject
    DataSource ds;

    /** Ingests the URLs as external images of one transaction per 100 (20 records of 5). */
    private static void ingest(TestTenants.TestTenant t, List<String> urls) {
        for (int from = 0; from < urls.size(); from += 100) {
            List<Map<String, Object>> records = new ArrayList<>();
            List<String> chunk = urls.subList(from, Math.min(urls.size(), from + 100));
            for (int r = 0; r < chunk.size(); r += 5) {
                records.add(Map.of("material", "PET", "quantity", 1, "unit", "kg", "images",
                        chunk.subList(r, Math.min(chunk.size(), r + 5)).stream().map(u -> Map.of("url", u)).toList()));
            }
            t.as().contentType("application/json").body(Map.of("external_transaction_id", "fair-" + UUID.randomUUID(), "transaction_date",
                    "2025-11-07", "location", Map.of("name", "P"), "collected_by", Map.of("id", "E"), "records", records)).when()
                    .post("/api/integration/bma/transaction").then().statusCode(201);
        }
    }

    private long migrated(TestTenants.TestTenant t) {
        return (Long) Sql.scalar(ds, "SELECT count(*) FROM files WHERE tenant_id = ? AND source = 's3'", t.id());
    }

    /** Ingests 200 small files of tenant b and answers how long until all of them are in S3 (or the limit, if not). */
    private Duration twoHundredFiles(TestTenants.TestTenant b, LegacyOrigin origin, String round, Duration limit) throws InterruptedException {
        long before = migrated(b);
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            urls.add(origin.serve(round + "-" + i + ".jpg", bytes(3_000 + i, 7_000L + i), "ok"));
        }
        long start = System.nanoTime();
        ingest(b, urls);
        long deadline = start + limit.toNanos();
        while (migrated(b) < before + 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void aTenantsTricklingOriginsDelayOnlyThatTenant() throws Exception {
        TestTenants.TestTenant a = TestTenants.client();
        TestTenants.TestTenant b = TestTenants.client();
        List<LegacyOrigin> trickling = new ArrayList<>();
        try (LegacyOrigin normal = LegacyOrigin.start()) {
            Duration alone = twoHundredFiles(b, normal, "alone", Duration.ofSeconds(60));
            assertThat(migrated(b)).as("tenant B's files, alone").isEqualTo(200);

            // tenant A: 50 URLs on three origins that send Content-Length: 5G and then 1 KiB a second
            List<String> slow = new ArrayList<>();
            for (int o = 0; o < 3; o++) {
                trickling.add(LegacyOrigin.start());
            }
            for (int i = 0; i < 50; i++) {
                slow.add(trickling.get(i % 3).serve("trickle-" + i + ".jpg", bytes(64 * 1024, i), "trickle"));
            }
            ingest(a, slow);
            CopyFixtures.await("tenant A's copies are trickling", Duration.ofSeconds(10),
                    () -> trickling.stream().mapToInt(LegacyOrigin::requests).sum() >= 4);

            Duration mixed = twoHundredFiles(b, normal, "mixed", alone.plusSeconds(30));
            long done = migrated(b) - 200;
            System.out.printf("tenant B's 200 files: %d ms alone, %d ms while tenant A trickles (%d of 200 done)%n", alone.toMillis(),
                    mixed.toMillis(), done);
            assertThat(done).as("tenant B's 200 files migrated while tenant A trickles (%s; alone %s)", mixed, alone).isEqualTo(200);
            assertThat(mixed).as("tenant B's 200 files while tenant A trickles, against %s alone", alone).isLessThan(alone.plusSeconds(5));
            // tenant A's attempts are cut by their pace, never copied as complete
            assertThat(Sql.scalar(ds, "SELECT count(*) FROM files WHERE tenant_id = ? AND source = 's3'", a.id())).isEqualTo(0L);
            assertThat(Sql.rows(ds, "SELECT DISTINCT j.failure_reason FROM s3_migration_log j JOIN files f ON f.id = j.file_id WHERE f.tenant_id = ? "
                    + "AND j.failure_reason IS NOT NULL", a.id())).allSatisfy(r -> assertThat(r.get("failure_reason")).isEqualTo("too_slow"));
        } finally {
            // tenant A's jobs are not left to the tests that follow
            Sql.exec(ds, "DELETE FROM s3_migration_log WHERE file_id IN (SELECT id FROM files WHERE tenant_id = ?)", a.id());
            for (LegacyOrigin o : trickling) {
                o.close();
            }
        }
    }
}
