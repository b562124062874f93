package io.wharf.copy;

import static io.wharf.copy.CopyFixtures.await;
import static io.wharf.copy.CopyFixtures.awaitSettled;
import static io.wharf.copy.CopyFixtures.bytes;
import static io.wharf.copy.CopyFixtures.jobs;
import static io.wharf.copy.CopyFixtures.profile;
import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wharf.testing.LegacyOrigin;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import software.amazon.awssdk.core.sync.RequestBody;

/** The queue drained for real: a loopback origin that misbehaves, S3Proxy, and the rows the files belong to. */
@QuarkusTest
class CopyDrainTest extends CopyFixtures {

    @Test
    void scanQueuesEachLegacyUrlOnceInBatchesAndTheDrainCopiesEveryByte() throws Exception {
        asAdmin().when().post("/api/s3-migration/pause").then().statusCode(200).body("paused", equalTo(true));
        List<UUID> partners = new ArrayList<>();
        Map<String, byte[]> served = new HashMap<>();
        try {
            for (int i = 0; i < 150; i++) {
                UUID id = UUID.randomUUID();
                List<String> contracts = new ArrayList<>();
                for (int k = 0; k < 2; k++) {
                    String name = "p" + i + "-c" + k + ".pdf";
                    byte[] b = bytes(3_000 + i * 10 + k, i * 10L + k);
                    served.put(origin.serve(name, b, "ok"), b);
                    contracts.add(origin.url(name));
                }
                String verification = origin.serve("p" + i + "-v.pdf", bytes(2_000, 7_000 + i), "ok");
                served.put(verification, bytes(2_000, 7_000 + i));
                // the second contract of every tenth partner was migrated before: only the first is queued
                String s3urls = i % 10 == 0 ? "[null, \"https://" + bucket + ".s3.amazonaws.com/done.pdf\"]" : "[]";
                Sql.exec(ds, "INSERT INTO business_partners (id, name, contract_urls, contract_s3_urls, verification_document_urls) VALUES (?, 'P', "
                        + "CAST(? AS jsonb), CAST(? AS jsonb), CAST(? AS jsonb))", id, CopyFixtures.json(contracts), s3urls,
                        CopyFixtures.json(List.of(verification)));
                partners.add(id);
            }
            JsonPath dry = asAdmin().queryParam("dry_run", true).queryParam("table", "business_partners").when().post("/api/s3-migration/scan")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(dry.getLong("tables.business_partners.contract_urls.found")).isEqualTo(285);
            assertThat(dry.getLong("tables.business_partners.contract_urls.queued")).isEqualTo(285);
            assertThat(dry.getLong("tables.business_partners.verification_document_urls.queued")).isEqualTo(150);
            assertThat(Sql.rows(ds,
                    "SELECT source_column, old_url, created_at, migration_status FROM s3_migration_log WHERE table_name = 'business_partners' LIMIT 3"))
                    .isEmpty();

            JsonPath scan = asAdmin().queryParam("table", "business_partners").when().post("/api/s3-migration/scan").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(scan.getLong("queued")).isEqualTo(435);
            // batches of 100 rows (%test), each its own transaction
            assertThat((Long) Sql.scalar(ds, "SELECT count(DISTINCT xmin::text) FROM s3_migration_log WHERE table_name = 'business_partners'"))
                    .isGreaterThanOrEqualTo(2L);
            JsonPath again = asAdmin().queryParam("table", "business_partners").when().post("/api/s3-migration/scan").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(again.getLong("queued")).isZero();
            assertThat(again.getLong("found")).isEqualTo(435);
            assertThat(served.keySet().stream().mapToInt(u -> origin.hits(u.substring(u.lastIndexOf('/') + 1))).sum()).isZero(); // paused
        } finally {
            asAdmin().when().post("/api/s3-migration/resume").then().statusCode(200).body("paused", equalTo(false));
        }
        awaitSettled(ds, Duration.ofSeconds(90), partners.toArray(UUID[]::new));

        // every job migrated, every S3 URL at the position of its legacy URL, every object the legacy bytes
        assertThat(Sql.rows(ds, "SELECT migration_status, count(*) AS n FROM s3_migration_log WHERE table_name = 'business_partners' GROUP BY 1"))
                .containsExactly(Map.of("migration_status", "migrated", "n", 435L));
        for (Map<String, Object> p : Sql.rows(ds, "SELECT id, contract_urls::text AS urls, contract_s3_urls::text AS s3, "
                + "verification_document_urls ->> 0 AS v, verification_document_s3_urls ->> 0 AS vs3 FROM business_partners WHERE id = ANY(?)",
                (Object) partners.toArray(UUID[]::new))) {
            List<String> urls = JsonPath.from((String) p.get("urls")).getList("$");
            List<String> s3urls = JsonPath.from((String) p.get("s3")).getList("$");
            assertThat(s3urls).hasSize(2);
            for (int k = 0; k < 2; k++) {
                if (s3urls.get(k).endsWith("/done.pdf")) {
                    continue;
                }
                String key = s3urls.get(k).substring(("https://" + bucket + ".s3.amazonaws.com/").length());
                assertThat(key).startsWith("legacy/business_partners/contract_urls/").endsWith(".pdf");
                assertThat(object(key)).isEqualTo(served.get(urls.get(k)));
            }
            String vkey = ((String) p.get("vs3")).substring(("https://" + bucket + ".s3.amazonaws.com/").length());
            assertThat(object(vkey)).isEqualTo(served.get(p.get("v")));
        }
        // one user_uploads row per job, and one audit row each, as Wharf's own
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM user_uploads u JOIN s3_migration_log j ON j.s3_key = u.s3_key AND j.s3_bucket = u.s3_bucket "
                + "WHERE j.table_name = 'business_partners'")).isEqualTo(435L);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM user_uploads WHERE partner_id = ANY(?) AND upload_type = 'document' AND "
                + "upload_status = 'completed'", (Object) partners.toArray(UUID[]::new))).isEqualTo(435L);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM audit_logs WHERE action = 'migrate_to_s3' AND resource_type = 'business_partners' AND "
                + "actor_type = 'system' AND resource_id = ANY(?)", (Object) partners.stream().map(UUID::toString).toArray(String[]::new)))
                .isEqualTo(435L);
        // the checksum recorded is the file's
        Map<String, Object> one = Sql.rows(ds, "SELECT old_url, checksum_sha256, file_size FROM s3_migration_log WHERE record_id = ? LIMIT 1",
                partners.get(1)).get(0);
        assertThat(one.get("checksum_sha256")).isEqualTo(sha256(served.get(one.get("old_url"))));
        assertThat(one.get("file_size")).isEqualTo((long) served.get(one.get("old_url")).length);
        // the seed's view and monitoring query keep working
        assertThat(Sql.rows(ds, "SELECT * FROM s3_migration_progress WHERE table_name = 'business_partners'"))
                .extracting(r -> r.get("migration_status"))
                .containsExactly("migrated");
    }

    /** How a scenario's legacy row is made: its URL, served by the origin as the scenario needs. */
    interface Row {
        UUID make(CopyDrainTest t) throws Exception;
    }

    /** How the scenario's job must have ended. */
    interface Ending {
        void check(CopyDrainTest t, UUID row) throws Exception;
    }

    /** One kind of failure (or of trouble a copy gets over); {@code removedAfterScan}: its row is deleted once it is queued. */
    record Scenario(String name, Row row, Ending ending, boolean removedAfterScan) {
        Scenario(String name, Row row, Ending ending) {
            this(name, row, ending, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final byte[] PHOTO = bytes(20_000, 1);
    /** Multipart: three parts (%test part-size 5M). */
    private static final byte[] BIG = bytes(12 * 1024 * 1024 + 123, 2);
    private static final byte[] SLOW = bytes(200_000, 3);

    static Stream<Scenario> failureScenarios() {
        return Stream.of(
                new Scenario("404: failed at once, naming the status and host", t -> avatar(t, "missing.jpg", "missing"), (t, r) -> {
                    assertThat(job(t, r)).containsEntry("migration_status", "failed").containsEntry("attempts", 1).containsEntry("failure_reason",
                            "not_found");
                    assertThat((String) job(t, r).get("error_message")).contains("404").contains("127.0.0.1");
                }),
                new Scenario("a 5xx once: migrated on the second attempt", t -> avatar(t, "flaky.jpg", "flaky"), (t, r) -> {
                    assertThat(job(t, r)).containsEntry("migration_status", "migrated").containsEntry("attempts", 2);
                    assertCopied(t, r);
                }),
                new Scenario("busy once: migrated on the second attempt", t -> avatar(t, "busy.jpg", "busy"), (t, r) -> {
                    assertThat(job(t, r)).containsEntry("migration_status", "migrated").containsEntry("attempts", 2);
                    assertCopied(t, r);
                }),
                new Scenario("a body cut short: failed after every attempt, no object", t -> avatar(t, "truncated.jpg", "truncated"), (t, r) -> {
                    assertBroken(t, r);
                    assertThat(job(t, r)).containsEntry("attempts", 4).containsEntry("failure_reason", "truncated");
                }),
                new Scenario("a body longer than its Content-Length: failed, no object", t -> avatar(t, "longer.jpg", "longer"),
                        CopyDrainTest::assertBroken),
                new Scenario("a stall once: migrated", t -> avatar(t, "stall-once.jpg", "slow-then-ok"), (t, r) -> {
                    assertThat(job(t, r)).containsEntry("migration_status", "migrated");
                    assertCopied(t, r);
                }),
                new Scenario("a chunked body: copied", t -> avatar(t, "chunked.jpg", "chunked"), CopyDrainTest::assertCopied),
                new Scenario("a slow body: copied", t -> profile(t.ds, null, origin.serve("slow.png", SLOW, "slow"), null),
                        (t, r) -> assertThat(t.object((String) job(t, r).get("s3_key"))).isEqualTo(SLOW)),
                new Scenario("a large file: copied in parts, checksum of the whole",
                        t -> profile(t.ds, null, null, List.of(origin.serve("large.pdf", BIG, "ok"))),
                        (t, r) -> {
                            Map<String, Object> j = job(t, r);
                            assertThat(j).containsEntry("migration_status", "migrated").containsEntry("file_size", (long) BIG.length)
                                    .containsEntry("checksum_sha256", sha256(BIG));
                            assertThat(t.object((String) j.get("s3_key"))).isEqualTo(BIG);
                            assertThat(Sql.scalar(t.ds, "SELECT document_s3_urls ->> 0 FROM business_profiles WHERE id = ?", r))
                                    .isEqualTo(j.get("new_s3_url"));
                        }),
                new Scenario("an internal address: refused at once", t -> profile(t.ds, "http://10.255.0.1/a.jpg", null, null),
                        (t, r) -> assertThat(job(t, r)).containsEntry("migration_status", "failed").containsEntry("failure_reason", "refused_address")
                                .containsEntry("attempts", 1)),
                new Scenario("already an object of Wharf's bucket: skipped",
                        t -> profile(t.ds, "https://" + t.bucket + ".s3.amazonaws.com/legacy/already.jpg",
                                null, null),
                        (t, r) -> assertThat(job(t, r)).containsEntry("migration_status", "skipped")),
                new Scenario("not an http(s) URL: failed as malformed", t -> profile(t.ds, "ftp://files.example/a.jpg", null, null),
                        (t, r) -> assertThat(job(t, r)).containsEntry("migration_status", "failed").containsEntry("failure_reason", "malformed_url")),
                new Scenario("a row removed after the scan: its copy discarded", t -> avatar(t, "gone.jpg", "stall"),
                        (t, r) -> assertThat(job(t, r).get("migration_status")).isIn("skipped", "failed"), true));
    }

    /** Every scenario's row, queued by one scan and drained together, once for all of them. */
    private static Map<String, UUID> drained;
    private static Throwable drainFailed;

    private Map<String, UUID> drainOnce() throws Throwable {
        if (drainFailed != null) {
            throw new AssertionError("the drain all scenarios share failed", drainFailed);
        }
        if (drained == null) {
            try {
                Map<String, UUID> rows = new LinkedHashMap<>();
                for (Scenario s : failureScenarios().toList()) {
                    rows.put(s.name(), s.row().make(this));
                }
                asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);
                for (Scenario s : failureScenarios().filter(Scenario::removedAfterScan).toList()) {
                    Sql.exec(ds, "DELETE FROM business_profiles WHERE id = ?", rows.get(s.name()));
                }
                awaitSettled(ds, Duration.ofSeconds(90), rows.values().toArray(UUID[]::new));
                drained = rows;
            } catch (Throwable e) {
                drainFailed = e;
                throw e;
            }
        }
        return drained;
    }

    /** The scenarios by name: a name crosses into Quarkus' class loader as it is, where a lambda would not. */
    static Stream<String> failureScenarioNames() {
        return failureScenarios().map(Scenario::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failureScenarioNames")
    void eachKindOfFailureEndsAsItShould(String name) throws Throwable {
        Scenario scenario = failureScenarios().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        scenario.ending().check(this, drainOnce().get(name));
    }

    private static UUID avatar(CopyDrainTest t, String name, String behaviour) {
        return profile(t.ds, origin.serve(name, PHOTO, behaviour), null, null);
    }

    private static Map<String, Object> job(CopyDrainTest t, UUID row) {
        return jobs(t.ds, row).get(0);
    }

    /** The photo is the object of the job's key, and the row's S3 column names it. */
    private static void assertCopied(CopyDrainTest t, UUID row) {
        assertThat(t.object((String) job(t, row).get("s3_key"))).isEqualTo(PHOTO);
        assertThat(Sql.scalar(t.ds, "SELECT avatar_s3_url FROM business_profiles WHERE id = ?", row)).isEqualTo(job(t, row).get("new_s3_url"));
    }

    /** Failed with a message about its bytes, and no partial object of the broken body under the job's key. */
    private static void assertBroken(CopyDrainTest t, UUID row) {
        Map<String, Object> j = job(t, row);
        assertThat(j).containsEntry("migration_status", "failed").containsEntry("new_s3_url", null);
        assertThat((String) j.get("error_message")).contains("bytes");
        String jobId = Sql.scalar(t.ds, "SELECT id::text FROM s3_migration_log WHERE record_id = ?", row).toString();
        assertThat(t.s3.listObjectsV2(b -> b.bucket(t.bucket).prefix("legacy/business_profiles/avatar_url/" + jobId)).contents()).isEmpty();
    }

    @Test
    void connectionsToAKeepAliveHostCarryManyFilesAndABodyThatRunsOnStillFails() throws Exception {
        try (LegacyOrigin keeping = LegacyOrigin.startKeepingAlive()) {
            Map<UUID, byte[]> fine = new LinkedHashMap<>();
            for (int i = 0; i < 60; i++) {
                byte[] b = bytes(2_000 + i * 37, 500 + i);
                // every tenth file's connection is closed by the server right after its answer, as an idle timeout would
                fine.put(profile(ds, keeping.serve("k" + i + ".jpg", b, i % 10 == 9 ? "drop" : "ok"), null, null), b);
            }
            byte[] big = bytes(6 * 1024 * 1024 + 77, 560); // two parts (%test part-size 5M) read from a kept connection
            fine.put(profile(ds, keeping.serve("k-big.jpg", big, "ok"), null, null), big);
            byte[] photo = bytes(20_000, 561);
            UUID longer = profile(ds, keeping.serve("k-longer.jpg", photo, "longer"), null, null);
            asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);

            List<UUID> all = new ArrayList<>(fine.keySet());
            all.add(longer);
            awaitSettled(ds, Duration.ofSeconds(60), all.toArray(UUID[]::new));
            for (Map.Entry<UUID, byte[]> e : fine.entrySet()) {
                Map<String, Object> j = jobs(ds, e.getKey()).get(0);
                // a kept connection the server had closed costs no failed attempt: the request goes again on a new one
                assertThat(j).containsEntry("migration_status", "migrated").containsEntry("attempts", 1);
                assertThat(object((String) j.get("s3_key"))).isEqualTo(e.getValue());
            }
            // the bytes past its Content-Length arrive where the next answer would start: the file fails, nothing is stored
            for (UUID broken : List.of(longer)) {
                Map<String, Object> j = jobs(ds, broken).get(0);
                assertThat(j).containsEntry("migration_status", "failed").containsEntry("new_s3_url", null);
                assertThat((String) j.get("error_message")).contains("longer than its Content-Length");
                String jobId = Sql.scalar(ds, "SELECT id::text FROM s3_migration_log WHERE record_id = ?", broken).toString();
                assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("legacy/business_profiles/avatar_url/" + jobId)).contents()).isEmpty();
            }
            // 62 files and the retries of the longer one over a handful of connections: at most per-host-concurrency kept,
            // plus one after each dropped or broken one
            assertThat(keeping.requests()).isGreaterThanOrEqualTo(62);
            assertThat(keeping.connections()).isLessThan(keeping.requests() / 2);
        }
    }

    @Test
    void bytesPastContentLengthThatComeLateOnAKeptConnectionFailTheFileOrAreNeverStored() throws Exception {
        try (LegacyOrigin keeping = LegacyOrigin.startKeepingAlive()) {
            byte[] photo = bytes(20_000, 562); // Content-Length says 19,990; the last 10 bytes follow a moment later
            UUID late = profile(ds, keeping.serve("k-late.jpg", photo, "longer-late"), null, null);
            asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);
            awaitSettled(ds, Duration.ofSeconds(60), late);
            Map<String, Object> j = jobs(ds, late).get(0);
            String jobId = Sql.scalar(ds, "SELECT id::text FROM s3_migration_log WHERE record_id = ?", late).toString();
            if ("failed".equals(j.get("migration_status"))) {
                // caught when the body ended or right after the object was stored (which is then deleted again)
                assertThat((String) j.get("error_message")).contains("longer than its Content-Length");
                assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("legacy/business_profiles/avatar_url/" + jobId)).contents()).isEmpty();
            } else {
                // the late bytes came after the copy was done: the file is what its Content-Length declared, and the
                // connection they arrived on is not used again (logged)
                assertThat(j).containsEntry("migration_status", "migrated").containsEntry("file_size", 19_990L);
                assertThat(object((String) j.get("s3_key"))).isEqualTo(Arrays.copyOf(photo, 19_990));
            }
        }
    }

    @Test
    void aLargeBodyCutShortWhileAPartIsSentLeavesNeitherObjectNorUnfinishedUpload() throws Exception {
        byte[] big = bytes(12 * 1024 * 1024, 570); // parts of 5M: the first is sent while the second is read, and breaks
        UUID cut = profile(ds, null, null, List.of(origin.serve("cut-big.pdf", big, "truncated")));
        asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);
        awaitSettled(ds, Duration.ofSeconds(60), cut);
        Map<String, Object> j = jobs(ds, cut).get(0);
        assertThat(j).containsEntry("migration_status", "failed").containsEntry("failure_reason", "truncated").containsEntry("new_s3_url", null);
        assertThat((String) j.get("error_message")).contains("short of its Content-Length");
        String prefix = "legacy/business_profiles/" + j.get("source_column") + "/"
                + Sql.scalar(ds, "SELECT id::text FROM s3_migration_log WHERE record_id = ?", cut);
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents()).isEmpty();
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)).uploads()).as("every attempt's upload was aborted").isEmpty();
    }

    @Test
    void anIngestedExternalImageIsCopiedAtOnceAndItsFileServedFromS3() throws Exception {
        TestTenant t = TestTenants.client();
        byte[] photo = bytes(30_000, 21);
        String url = origin.serve("bma-photo.jpg", photo, "ok");
        Map<String, Object> record = Map.of("material", "PET", "quantity", 2, "unit", "kg", "images", List.of(Map.of("url", url)));
        long fileId = t.as().contentType("application/json").body(Map.of("external_transaction_id", "mig-" + UUID.randomUUID(), "transaction_date",
                "2025-11-07", "location", Map.of("name", "P"), "collected_by", Map.of("id", "E"), "records", List.of(record))).when()
                .post("/api/integration/bma/transaction").then().statusCode(201).extract().jsonPath().getLong("records[0].images[0].file_id");
        long posted = System.nanoTime();
        // no scan: the ingestion queued the job and its commit woke the worker
        await("the file is in S3", Duration.ofSeconds(10), () -> "s3".equals(Sql.scalar(ds, "SELECT source::text FROM files WHERE id = ?", fileId)));
        assertThat(Duration.ofNanos(System.nanoTime() - posted)).isLessThan(Duration.ofSeconds(4)); // sooner than a poll would find it
        Map<String, Object> file = t.as().when().get("/api/files/" + fileId).then().statusCode(200).extract().as(Map.class);
        assertThat((String) file.get("url")).startsWith("https://" + bucket + ".s3.amazonaws.com/legacy/files/url/");
        assertThat(HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create((String) file.get("download_url")))
                        .build(), BodyHandlers.ofByteArray())
                .body()).isEqualTo(photo);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM user_uploads WHERE tenant_id = ? AND upload_type = 'image'", t.id())).isEqualTo(1L);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM audit_logs WHERE tenant_id = ? AND action = 'migrate_to_s3' AND resource_id = ?", t.id(),
                Long.toString(fileId))).isEqualTo(1L);
    }

    @Test
    void malformedBodiesFailAndS3UrlsWrittenAfterTheScanAreKept() throws Exception {
        byte[] photo = bytes(9_000, 31);
        UUID overrun = profile(ds, origin.serve("overrun.jpg", photo, "chunk-overrun"), null, null);
        UUID lengths = profile(ds, origin.serve("lengths.jpg", photo, "two-lengths"), null, null);
        UUID gzip = profile(ds, origin.serve("gzip.jpg", photo, "gzip"), null, null);
        String a = origin.serve("doc-a.pdf", photo, "slow");
        String b = origin.serve("doc-b.pdf", photo, "ok");
        UUID newer = profile(ds, origin.serve("newer.jpg", photo, "slow"), null, List.of(a, b));
        asAdmin().queryParam("table", "business_profiles").queryParam("dry_run", "1").when().post("/api/s3-migration/scan").then().statusCode(400);
        asAdmin().when().post("/api/s3-migration/pause").then().statusCode(200);
        try {
            asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);
            // after the scan, the application stores a new avatar and the first document in S3 itself, and adds a third document
            Sql.exec(ds, "UPDATE business_profiles SET avatar_s3_url = 'https://" + bucket + ".s3.amazonaws.com/uploads/new-avatar.jpg', "
                    + "document_s3_urls = '[\"https://" + bucket + ".s3.amazonaws.com/uploads/new-doc.pdf\", null, \"https://" + bucket
                    + ".s3.amazonaws.com/uploads/extra.pdf\"]' WHERE id = ?", newer);
        } finally {
            asAdmin().when().post("/api/s3-migration/resume").then().statusCode(200);
        }
        awaitSettled(ds, Duration.ofSeconds(60), overrun, lengths, gzip, newer);
        for (UUID bad : List.of(overrun, lengths, gzip)) {
            Map<String, Object> j = jobs(ds, bad).get(0);
            assertThat(j.get("migration_status")).as("%s", j).isIn("failed", "pending").isNotEqualTo("migrated");
            assertThat(j.get("new_s3_url")).isNull();
        }
        assertThat((String) jobs(ds, gzip).get(0).get("error_message")).contains("Content-Encoding gzip");
        Map<String, Object> row = Sql.rows(ds, "SELECT avatar_s3_url, document_s3_urls::text AS docs FROM business_profiles WHERE id = ?", newer)
                .get(0);
        assertThat(row.get("avatar_s3_url")).isEqualTo("https://" + bucket + ".s3.amazonaws.com/uploads/new-avatar.jpg");
        List<String> docs = JsonPath.from((String) row.get("docs")).getList("$");
        assertThat(docs).hasSize(3);
        assertThat(docs.get(0)).endsWith("/uploads/new-doc.pdf");
        assertThat(docs.get(1)).contains("/legacy/business_profiles/document_urls/"); // the empty position took its copy
        assertThat(docs.get(2)).endsWith("/uploads/extra.pdf");
        Map<String, String> status = new HashMap<>();
        jobs(ds, newer).forEach(j -> status.put(j.get("old_url") + "", j.get("migration_status") + ""));
        assertThat(status).containsEntry(a, "skipped").containsEntry(b, "migrated");
    }

    @Test
    void outcomesAreRecordedManyPerTransactionAndEachStillAsItsOwn() throws Exception {
        List<UUID> profiles = new ArrayList<>();
        Map<UUID, byte[]> avatars = new HashMap<>();
        List<UUID> changed = new ArrayList<>();
        asAdmin().when().post("/api/s3-migration/pause").then().statusCode(200);
        try {
            for (int i = 0; i < 60; i++) {
                byte[] avatar = bytes(1_000 + i, 50_000L + i);
                String logo = i % 20 == 7 ? origin.serve("batch-logo-" + i + ".png", avatar, "missing")
                        : origin.serve("batch-logo-" + i + ".png", bytes(500 + i, 60_000L + i), "ok");
                UUID id = profile(ds, origin.serve("batch-avatar-" + i + ".jpg", avatar, "ok"), logo, null);
                profiles.add(id);
                avatars.put(id, avatar);
                if (i % 12 == 3) {
                    changed.add(id);
                }
            }
            asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);
            // after the scan, some avatars are replaced by new legacy URLs: their copies must not land
            for (UUID id : changed) {
                Sql.exec(ds, "UPDATE business_profiles SET avatar_url = ? WHERE id = ?", origin.url("replaced-" + id + ".jpg"), id);
            }
        } finally {
            asAdmin().when().post("/api/s3-migration/resume").then().statusCode(200);
        }
        awaitSettled(ds, Duration.ofSeconds(60), profiles.toArray(UUID[]::new));

        UUID[] ids = profiles.toArray(UUID[]::new);
        Map<String, Long> byStatus = new HashMap<>();
        Sql.rows(ds, "SELECT source_column || ':' || migration_status AS k, count(*) AS n FROM s3_migration_log WHERE record_id = ANY(?) GROUP BY 1",
                (Object) ids).forEach(r -> byStatus.put((String) r.get("k"), (Long) r.get("n")));
        assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of("avatar_url:migrated", 55L, "avatar_url:skipped", 5L, "logo_url:migrated", 57L,
                "logo_url:failed", 3L));
        for (Map<String, Object> r : Sql.rows(ds, "SELECT id, avatar_url, avatar_s3_url, logo_s3_url FROM business_profiles WHERE id = ANY(?)",
                (Object) ids)) {
            UUID id = (UUID) r.get("id");
            if (changed.contains(id)) {
                assertThat(r.get("avatar_s3_url")).isNull();
                assertThat((String) r.get("avatar_url")).contains("replaced-");
            } else {
                String key = ((String) r.get("avatar_s3_url")).substring(("https://" + bucket + ".s3.amazonaws.com/").length());
                assertThat(object(key)).isEqualTo(avatars.get(id));
            }
        }
        // the discarded copies are gone from the bucket and were never recorded as uploads
        for (UUID id : changed) {
            Map<String, Object> j = Sql
                    .rows(ds, "SELECT failure_reason, s3_key FROM s3_migration_log WHERE record_id = ? AND source_column = 'avatar_url'",
                            id)
                    .get(0);
            assertThat(j.get("failure_reason")).isEqualTo("changed_source");
            await("the discarded copy is deleted", Duration.ofSeconds(10),
                    () -> s3.listObjectsV2(b -> b.bucket(bucket).prefix((String) j.get("s3_key"))).keyCount() == 0);
            assertThat(Sql.scalar(ds, "SELECT count(*) FROM user_uploads WHERE s3_key = ?", j.get("s3_key"))).isEqualTo(0L);
        }
        // one upload row and one audit row per migrated job, although the jobs were recorded many per transaction
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM user_uploads u JOIN s3_migration_log j ON j.s3_key = u.s3_key WHERE j.record_id = ANY(?) "
                + "AND j.migration_status = 'migrated'", (Object) ids)).isEqualTo(112L);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM audit_logs WHERE action = 'migrate_to_s3' AND resource_id = ANY(?)",
                (Object) profiles.stream().map(UUID::toString).toArray(String[]::new))).isEqualTo(112L);
        // (a job recorded alone is its own transaction: 120 jobs would show 120)
        assertThat((Long) Sql.scalar(ds, "SELECT count(DISTINCT xmin::text) FROM s3_migration_log WHERE record_id = ANY(?)", (Object) ids))
                .isLessThan(90L);
    }

    @Test
    void pauseStopsNewCopiesWithinASecondOnEveryInstanceAndResumeDrains() throws Exception {
        asAdmin().when().post("/api/s3-migration/pause").then().statusCode(200);
        UUID p;
        try {
            p = profile(ds, origin.serve("paused.jpg", bytes(5_000, 9), "ok"), null, null);
            asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);
            asAdmin().when().get("/api/s3-migration/progress").then().statusCode(200).body("paused", equalTo(true));
            Thread.sleep(1_500);
            assertThat(origin.hits("paused.jpg")).isZero();
        } finally {
            asAdmin().when().post("/api/s3-migration/resume").then().statusCode(200);
        }
        long resumed = System.nanoTime();
        awaitSettled(ds, Duration.ofSeconds(30), p);
        assertThat(Duration.ofNanos(System.nanoTime() - resumed)).isLessThan(Duration.ofSeconds(5));
        assertThat(jobs(ds, p).get(0)).containsEntry("migration_status", "migrated");
    }

    @Test
    void operatorsSeeProgressListJobsRetryAndVerify() throws Exception {
        byte[] photo = bytes(8_000, 11);
        UUID failing = profile(ds, origin.serve("later.jpg", photo, "missing"), null, null);
        UUID fine = profile(ds, origin.serve("fine.jpg", photo, "ok"), null, null);
        asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);
        awaitSettled(ds, Duration.ofSeconds(30), failing, fine);

        await("the counters are folded", Duration.ofSeconds(10), () -> asAdmin().when().get("/api/s3-migration/progress").then().extract()
                .jsonPath().getLong("totals.migrated.jobs") > 0);
        JsonPath progress = asAdmin().when().get("/api/s3-migration/progress").then().statusCode(200).extract().jsonPath();
        assertThat(progress.getLong("tables.business_profiles.failed.jobs")).isGreaterThanOrEqualTo(1);
        assertThat(progress.getInt("workers_alive")).isGreaterThanOrEqualTo(1);
        assertThat(progress.getBoolean("paused")).isFalse();
        long counted = progress.getLong("totals.migrated.jobs") + progress.getLong("totals.failed.jobs") + progress.getLong("totals.skipped.jobs")
                + progress.getLong("totals.pending.jobs");
        assertThat(counted).isEqualTo((Long) Sql.scalar(ds, "SELECT count(*) FROM s3_migration_log"));

        JsonPath failed = asAdmin().queryParam("status", "failed").queryParam("table", "business_profiles").queryParam("error", "later.jpg")
                .when().get("/api/s3-migration/jobs").then().statusCode(200).extract().jsonPath();
        assertThat(failed.getList("items.record_id")).isEmpty(); // the error names the host and status, not the file
        failed = asAdmin().queryParam("status", "failed").queryParam("error", "404").queryParam("limit", 500).when().get("/api/s3-migration/jobs")
                .then().statusCode(200).extract().jsonPath();
        assertThat(failed.getList("items.record_id")).contains(failing.toString());
        asAdmin().queryParam("status", "won").when().get("/api/s3-migration/jobs").then().statusCode(400);
        asAdmin().queryParam("cursor", "garbage").when().get("/api/s3-migration/jobs").then().statusCode(400);
        TestTenants.client().as().when().get("/api/s3-migration/progress").then().statusCode(403);

        // the file is back on the legacy server: retry sends the failed job back and it migrates
        origin.serve("later.jpg", photo, "ok");
        assertThat(asAdmin().queryParam("error", "404").when().post("/api/s3-migration/retry").then().statusCode(200).extract().jsonPath()
                .getLong("jobs")).isGreaterThanOrEqualTo(1);
        awaitSettled(ds, Duration.ofSeconds(30), failing);
        assertThat(jobs(ds, failing).get(0)).containsEntry("migration_status", "migrated");

        // verification: a deleted and a changed object are found, and sent back when asked
        String deletedKey = (String) jobs(ds, failing).get(0).get("s3_key");
        String changedKey = (String) jobs(ds, fine).get(0).get("s3_key");
        s3.deleteObject(b -> b.bucket(bucket).key(deletedKey));
        s3.putObject(b -> b.bucket(bucket).key(changedKey), RequestBody.fromBytes(bytes(8_000, 12)));
        List<String> problems = new ArrayList<>();
        String cursor = null;
        do {
            var req = asAdmin().queryParam("deep", true).queryParam("requeue", true).queryParam("limit", 200);
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            JsonPath report = req.when().post("/api/s3-migration/verify").then().statusCode(200).extract().jsonPath();
            problems.addAll(report.getList("mismatches.s3_key"));
            cursor = report.getString("next_cursor");
        } while (cursor != null);
        assertThat(problems).contains(deletedKey, changedKey);
        awaitSettled(ds, Duration.ofSeconds(30), failing, fine);
        // copied again under keys of their new claims, which their rows now point at
        for (UUID p : List.of(failing, fine)) {
            Map<String, Object> j = jobs(ds, p).get(0);
            assertThat(j).containsEntry("migration_status", "migrated");
            assertThat((String) j.get("s3_key")).isNotIn(deletedKey, changedKey);
            assertThat(object((String) j.get("s3_key"))).isEqualTo(photo);
            assertThat(Sql.scalar(ds, "SELECT avatar_s3_url FROM business_profiles WHERE id = ?", p)).isEqualTo(j.get("new_s3_url"));
        }
    }
}
