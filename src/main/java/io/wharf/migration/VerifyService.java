package io.wharf.migration;

import java.io.IOException;
import java.io.InputStream;
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

    public record Report(int checked, int ok, List<Mismatch> mismatches, int requeued, @JsonProperty("next_cursor") String nextCursor) {
    }

    private final JobRepository jobs;
    private final ObjectStore store;
    private final S3Client s3;
    private final JobQueue queue;

    VerifyService(JobRepository jobs, ObjectStore store, S3Client s3, JobQueue queue) {
        this.jobs = jobs;
        this.store = store;
        this.s3 = s3;
        this.queue = queue;
    }

    public Report verify(String cursor, String limit, boolean deep, boolean requeue) {
        int n = QueryParams.limit("limit", limit, 500, 10_000);
        UUID after = cursor == null || cursor.isBlank() ? null : QueryParams.uuid("cursor", cursor);
        List<JobRepository.Migrated> page = jobs.migratedAfter(after, n);
        List<UUID> ok = new ArrayList<>();
        List<Mismatch> bad = new ArrayList<>();
        for (JobRepository.Migrated m : page) {
            String problem = check(m, deep);
            if (problem == null) {
                ok.add(m.id());
            } else {
                bad.add(new Mismatch(m.id(), m.key(), problem));
            }
        }
        List<UUID> again = requeue ? bad.stream().map(Mismatch::jobId).toList() : List.of();
        jobs.verified(ok, again);
        if (!again.isEmpty()) {
            queue.announce();
        }
        return new Report(page.size(), ok.size(), bad, again.size(), page.size() < n ? null : page.get(page.size() - 1).id().toString());
    }

    private String check(JobRepository.Migrated m, boolean deep) {
        if (m.key() == null || !store.bucket().equals(m.bucket())) {
            return "no object of Wharf's bucket is recorded";
        }
        Optional<HeadObjectResponse> head;
        try {
            head = store.head(m.key());
        } catch (SdkException e) {
            return "S3 could not be asked: " + e.getMessage();
        }
        if (head.isEmpty()) {
            return "the object is missing";
        }
        if (m.size() != null && !m.size().equals(head.get().contentLength())) {
            return "the object is " + head.get().contentLength() + " bytes, " + m.size() + " were recorded";
        }
        if (deep && m.checksum() != null) {
            String actual = sha256(m.key());
            if (!m.checksum().equals(actual)) {
                return "the object's SHA-256 is " + actual + ", " + m.checksum() + " was recorded";
            }
        }
        return null;
    }

    private String sha256(String key) {
        try (InputStream in = s3.getObject(b -> b.bucket(store.bucket()).key(key))) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream d = new DigestInputStream(in, md)) {
                d.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | SdkException e) {
            return "unreadable (" + e.getMessage() + ")";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
