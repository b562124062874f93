package io.wharf.copy.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.wharf.common.web.QueryParams;
import io.wharf.copy.queue.JobRepository;
import io.wharf.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Checks migrated objects against what was recorded: the object is there with the recorded size, and with
 * {@code deep} its bytes hash to the recorded SHA-256 (read back, since not every S3-compatible server checks
 * checksums itself). One call checks a page of jobs in id order and answers where to go on; mismatches are
 * reported, and sent back to pending when asked.
 */
@ApplicationScoped
public class VerifyService {

    public record Mismatch(@JsonProperty("job_id") UUID jobId, @JsonProperty("s3_key") String s3Key, String problem) {
    }

    /**
     * {@code unchecked}: jobs S3 could not answer for (retry later; never requeued, since the object may well be
     * fine and its legacy file may be gone by now).
     */
    public record Report(int checked, int ok, List<Mismatch> mismatches, List<Mismatch> unchecked, int requeued,
            @JsonProperty("next_cursor") String nextCursor) {
    }

    /** What a check found: nothing wrong, a mismatch, or no answer from S3. */
    private record Finding(String mismatch, String unchecked) {
        static final Finding OK = new Finding(null, null);
    }

    private final JobRepository jobs;
    private final ObjectStore store;
    private final S3Client s3;

    VerifyService(JobRepository jobs, ObjectStore store, S3Client s3) {
        this.jobs = jobs;
        this.store = store;
        this.s3 = s3;
    }

    public Report verify(String cursor, String limit, boolean deep, boolean requeue) {
        // a deep check reads every object back: its pages are smaller
        int n = QueryParams.limit("limit", limit, deep ? 100 : 500, deep ? 500 : 10_000);
        UUID after = cursor == null || cursor.isBlank() ? null : QueryParams.uuid("cursor", cursor);
        List<JobRepository.Migrated> page = jobs.migratedAfter(after, n);
        List<UUID> ok = new ArrayList<>();
        List<Mismatch> bad = new ArrayList<>();
        List<Mismatch> unknown = new ArrayList<>();
        for (JobRepository.Migrated m : page) {
            Finding f = check(m, deep);
            if (f.mismatch() != null) {
                bad.add(new Mismatch(m.id(), m.key(), f.mismatch()));
            } else if (f.unchecked() != null) {
                unknown.add(new Mismatch(m.id(), m.key(), f.unchecked()));
            } else {
                ok.add(m.id());
            }
        }
        List<UUID> again = requeue ? bad.stream().map(Mismatch::jobId).toList() : List.of();
        jobs.verified(ok, again);
        if (!again.isEmpty()) {
            jobs.announce();
        }
        return new Report(page.size(), ok.size(), bad, unknown, again.size(), page.size() < n ? null : page.get(page.size() - 1).id().toString());
    }

    private Finding check(JobRepository.Migrated m, boolean deep) {
        if (m.key() == null || !store.bucket().equals(m.bucket())) {
            return new Finding("no object of Wharf's bucket is recorded", null);
        }
        Optional<HeadObjectResponse> head;
        try {
            head = store.head(m.key());
        } catch (SdkException e) {
            return new Finding(null, "S3 could not be asked: " + e.getMessage());
        }
        if (head.isEmpty()) {
            return new Finding("the object is missing", null);
        }
        if (m.size() != null && !m.size().equals(head.get().contentLength())) {
            return new Finding("the object is " + head.get().contentLength() + " bytes, " + m.size() + " were recorded", null);
        }
        if (deep && m.checksum() != null) {
            String actual;
            try {
                actual = sha256(m.key());
            } catch (IOException | SdkException e) {
                return new Finding(null, "the object could not be read back: " + e.getMessage());
            }
            if (!m.checksum().equals(actual)) {
                return new Finding("the object's SHA-256 is " + actual + ", " + m.checksum() + " was recorded", null);
            }
        }
        return Finding.OK;
    }

    private String sha256(String key) throws IOException {
        try (InputStream in = s3.getObject(b -> b.bucket(store.bucket()).key(key))) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream d = new DigestInputStream(in, md)) {
                d.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
