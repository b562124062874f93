package io.wharf.bma;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants.TestTenant;
import software.amazon.awssdk.services.s3.S3Client;

/** Transactions as a partner would post them, and what a test counts to prove that nothing was stored. */
final class BmaFixtures {

    private BmaFixtures() {
    }

    /** Bytes that start like a JPEG file (SOI, JFIF APP0) and end like one; the rest is noise, as in a photo. */
    static byte[] jpeg(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        byte[] head = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0 };
        System.arraycopy(head, 0, b, 0, head.length);
        b[size - 2] = (byte) 0xFF;
        b[size - 1] = (byte) 0xD9;
        return b;
    }

    static byte[] png(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        byte[] head = { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A };
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Map<String, Object> inline(byte[] bytes, String contentType) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", b64(bytes));
        m.put("content_type", contentType);
        return m;
    }

    static Map<String, Object> url(String url) {
        return Map.of("url", url);
    }

    static Map<String, Object> record(String material, Object quantity, List<Map<String, Object>> images) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("material", material);
        r.put("quantity", quantity);
        r.put("unit", "kg");
        r.put("observation", Map.of("condition", "clean", "material", material));
        r.put("images", images);
        return r;
    }

    static Map<String, Object> transaction(String externalId, List<Map<String, Object>> records) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("external_transaction_id", externalId);
        t.put("transaction_date", "2025-11-07T09:30:00+07:00");
        t.put("location", Map.of("name", "Bang Rak collection point 4", "latitude", 13.7246, "longitude", 100.5145));
        t.put("collected_by", Map.of("id", "EMP-0042", "name", "Somchai P."));
        t.put("records", new ArrayList<>(records));
        return t;
    }

    static String newId() {
        return "BMA-" + UUID.randomUUID();
    }

    /** Rows of the tenant's transactions, records, files and pending migration jobs, and its objects under ingest/. */
    record Stored(long transactions, long records, long files, long jobs, int objects) {
        static Stored of(DataSource ds, S3Client s3, String bucket, TestTenant t) {
            long transactions = (Long) Sql.scalar(ds, "SELECT count(*) FROM transactions WHERE tenant_id = ?", t.id());
            long records = (Long) Sql.scalar(ds,
                    "SELECT count(*) FROM transaction_records r JOIN transactions x ON x.id = r.transaction_id WHERE x.tenant_id = ?", t.id());
            long files = (Long) Sql.scalar(ds, "SELECT count(*) FROM files WHERE tenant_id = ?", t.id());
            long jobs = (Long) Sql.scalar(ds, "SELECT count(*) FROM s3_migration_log j JOIN files f ON f.id = j.file_id WHERE f.tenant_id = ?",
                    t.id());
            int objects = s3.listObjectsV2(b -> b.bucket(bucket).prefix("ingest/" + t.id() + "/")).contents().size();
            return new Stored(transactions, records, files, jobs, objects);
        }

        static final Stored NOTHING = new Stored(0, 0, 0, 0, 0);
    }
}
