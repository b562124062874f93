package io.wharf.copy.store;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.zip.CRC32C;

import io.wharf.copy.CopyConfig;
import io.wharf.copy.CopyFailure;
import io.wharf.copy.Lease;
import io.wharf.copy.fetch.BodyStream;
import io.wharf.copy.fetch.LegacyFetch;
import io.wharf.copy.fetch.Throttle;
import io.wharf.storage.FileKind;
import io.wharf.storage.ObjectStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The S3 writer: streams a legacy body into S3 without holding the file. A body of at most one part is read whole
 * and sent as one PUT once complete; a larger one (or of unknown length) goes in parts of part-size bytes. Every PUT
 * carries its SHA-256 and every part its CRC32C, which S3 verifies; a failed multipart upload is aborted. So no
 * partial object is ever visible, and memory is two parts per copy. The object's type is the one its first bytes
 * are ({@link FileKind}), never the legacy server's claim; the key is chosen once it is known. A copy whose lease
 * is no longer valid stops reading, and writes nothing more.
 */
@ApplicationScoped
public class S3Writer {

    public record Copied(String key, long bytes, String sha256Hex, String contentType) {
    }

    private final S3Client s3;
    private final ObjectStore store;
    private final String bucket;
    private final int partSize;
    private final long maxFileSize;
    /** Sends the parts of multipart copies, so that each copy reads its next part meanwhile; at most one part per copy. */
    private final ExecutorService uploads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "wharf-s3-part");
        t.setDaemon(true);
        return t;
    });

    public S3Writer(S3Client s3, ObjectStore store, CopyConfig config) {
        this.s3 = s3;
        this.store = store;
        this.bucket = store.bucket();
        this.partSize = (int) Math.max(5L << 20, Math.min(Integer.MAX_VALUE - 8, config.partSize().asLongValue()));
        this.maxFileSize = config.maxFileSize().asLongValue();
    }

    /** {@code keyFor}: the object key for the type the bytes turned out to be. */
    public Copied write(LegacyFetch.Response source, Function<String, String> keyFor, Lease lease, Throttle throttle)
            throws CopyFailure {
        if (source.contentLength() > maxFileSize) {
            throw tooLarge(source.contentLength());
        }
        MessageDigest whole = sha256();
        InputStream body = lease.guard(throttle.wrap(source.body()));
        try {
            if (source.contentLength() >= 0 && source.contentLength() <= partSize) {
                // a body up to one part is read whole first, so that only a complete, checked body is ever sent to S3
                byte[] all = new byte[(int) source.contentLength()];
                int n = fillBuffer(body, all);
                if (n < all.length || body.read() >= 0) {
                    throw new BodyStream.Truncated(
                            "the body from " + source.host() + " does not match its Content-Length of " + all.length);
                }
                String type = FileKind.storedType(all, all.length);
                String key = keyFor.apply(type);
                lease.check();
                return stored(source, single(key, type, all, all.length, whole));
            }
            return stored(source, multipart(body, keyFor, lease, whole));
        } catch (IOException e) {
            throw read(e, source.host());
        } catch (RuntimeException e) {
            // the SDK may wrap a body that broke while a part was read: the body's own failure says what happened
            if (source.body() instanceof BodyStream b && b.failure() != null) {
                throw read(b.failure(), source.host());
            }
            if (e instanceof SdkException sdk) {
                throw translate(sdk, source.host());
            }
            throw e;
        }
    }

    /** The copy, unless more bytes came after the body on a kept connection: then the object is deleted again. */
    private Copied stored(LegacyFetch.Response source, Copied copied) throws IOException {
        BodyStream.Truncated late = source.body() instanceof BodyStream b ? b.lateOverrun() : null;
        if (late != null) {
            store.delete(List.of(copied.key()));
            throw late;
        }
        return copied;
    }

    /** One PUT of a whole body with its SHA-256, which S3 checks before it stores the object. */
    private Copied single(String key, String contentType, byte[] buffer, int length, MessageDigest whole) {
        whole.update(buffer, 0, length);
        byte[] digest = whole.digest();
        store.put(key, buffer, length, contentType, Base64.getEncoder().encodeToString(digest));
        return new Copied(key, length, HexFormat.of().formatHex(digest), contentType);
    }

    /** Parts of part-size bytes, one sent while the next is read and hashed into the other buffer: reading and sending overlap. */
    private Copied multipart(InputStream body, Function<String, String> keyFor, Lease lease, MessageDigest whole)
            throws IOException, CopyFailure {
        byte[][] buffers = { new byte[partSize], null };
        int first = fillBuffer(body, buffers[0]);
        String contentType = FileKind.storedType(buffers[0], first);
        String key = keyFor.apply(contentType);
        lease.check();
        if (first < partSize) { // no longer than a part after all (its length was not given): one PUT
            return single(key, contentType, buffers[0], first, whole);
        }
        buffers[1] = new byte[partSize];
        String uploadId = s3
                .createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType).checksumAlgorithm(ChecksumAlgorithm.CRC32_C))
                .uploadId();
        boolean completed = false;
        Future<CompletedPart> inFlight = null;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            int n = first;
            for (int number = 1, which = 0; n > 0; number++, which ^= 1) {
                total += n;
                if (total > maxFileSize) {
                    throw tooLarge(total);
                }
                byte[] part = buffers[which];
                whole.update(part, 0, n);
                String checksum = crc32c(part, n);
                if (inFlight != null) {
                    parts.add(finished(inFlight)); // the other buffer is free again
                }
                int partNumber = number;
                int length = n;
                inFlight = submit(() -> CompletedPart.builder().partNumber(partNumber)
                        .eTag(store.uploadPart(key, uploadId, partNumber, part, length, checksum)).checksumCRC32C(checksum).build());
                n = fillBuffer(body, buffers[which ^ 1]);
            }
            parts.add(finished(inFlight));
            inFlight = null;
            lease.check();
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            completed = true;
            return new Copied(key, total, HexFormat.of().formatHex(whole.digest()), contentType);
        } finally {
            if (!completed) {
                settle(inFlight); // a part still being sent would outlive the abort
                abort(key, uploadId);
            }
        }
    }

    private Future<CompletedPart> submit(Callable<CompletedPart> upload) throws CopyFailure {
        try {
            return uploads.submit(upload);
        } catch (RejectedExecutionException e) { // shutting down: the job is released and copied again later
            throw new CopyFailure("connection", "Wharf is shutting down; the copy is tried again later", false, null);
        }
    }

    /** The part's upload, once it has finished; its S3 failure is thrown as it was thrown. */
    private static CompletedPart finished(Future<CompletedPart> upload) throws CopyFailure {
        try {
            return upload.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CopyFailure("connection", "the copy was interrupted while a part was sent to S3", false, null);
        }
    }

    /** Waits for the part's upload to end, even if interrupted (shutdown): a part still being sent may be stored after an abort. */
    private static void settle(Future<CompletedPart> upload) {
        if (upload == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                upload.get();
                break;
            } catch (ExecutionException e) {
                break; // already failed; the upload is aborted next
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    public void close() {
        uploads.shutdownNow();
    }

    private void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // S3 expires abandoned uploads (a bucket lifecycle rule); nothing of it is visible as an object
        }
    }

    /** Reads until the buffer is full or the body ends; returns how many bytes it holds. */
    private static int fillBuffer(InputStream in, byte[] buffer) throws IOException {
        int n = 0;
        while (n < buffer.length) {
            int r = in.read(buffer, n, buffer.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    private CopyFailure tooLarge(long bytes) {
        return new CopyFailure("too_large", "the file is " + bytes + " bytes or more, over wharf.copy.max-file-size (" + maxFileSize
                + " bytes)", true, null);
    }

    private static CopyFailure read(IOException e, String host) {
        if (e instanceof Lease.Gone) {
            return new CopyFailure("lease_lost", e.getMessage(), false, null);
        }
        return new CopyFailure(e instanceof BodyStream.TooSlow ? "too_slow" : e instanceof BodyStream.Truncated ? "truncated" : "connection",
                e instanceof BodyStream.Truncated ? e.getMessage() : "reading from " + host + " failed: " + e.getMessage(), false, null);
    }

    /** An S3 failure is transient (the next attempt may succeed); a body that broke while it was read is the legacy side's. */
    private static CopyFailure translate(SdkException e, String host) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyStream.Truncated || t instanceof Lease.Gone) { // only the body stream says the legacy side broke
                return read((IOException) t, host);
            }
        }
        if (e instanceof AwsServiceException s) {
            boolean slowDown = s.statusCode() == 503 || "SlowDown".equals(s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode());
            // a 5xx is S3's own trouble: the S3 circuit pauses copying instead of spending the job's attempts
            return new CopyFailure(slowDown ? "s3_slow_down" : s.statusCode() >= 500 ? CopyFailure.S3_UNAVAILABLE : "s3", "S3 answered "
                    + s.statusCode() + (s.awsErrorDetails() == null ? "" : " " + s.awsErrorDetails().errorCode()), false, null);
        }
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
            return new CopyFailure("s3", "the copy to S3 was interrupted: " + e.getMessage(), false, null);
        }
        return new CopyFailure(CopyFailure.S3_UNAVAILABLE, "S3 could not be reached: " + e.getMessage(), false, null);
    }

    /** A part's checksum for S3 to verify: CRC32C (a CPU instruction) rather than a second SHA-256 pass over every byte. */
    private static String crc32c(byte[] buffer, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buffer, 0, length);
        long v = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] { (byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v });
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
