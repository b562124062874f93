package io.wharf.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Wharf's bucket, as the features use it: whole small objects written with a checksum S3 verifies, heads,
 * the first bytes of an object (to check its type), batched deletes, listings and presigned URLs. Every call
 * is network I/O: callers make them outside database transactions.
 */
@ApplicationScoped
public class ObjectStore {

    /** A presigned request: the URL and the headers the client must send with it. */
    public record Presigned(String url, String method, Map<String, String> headers, Instant expiresAt) {
    }

    /** One object of a listing. */
    public record Listed(String key, long size, Instant lastModified) {
    }

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final Duration urlTtl;
    private final SignedPut signedPut;

    /** How many threads write through the store at once (the copy's concurrency), which sizes its pool of PUT connections. */
    public record Writers(int threads) {
    }

    @Inject
    ObjectStore(S3Client s3, S3Presigner presigner, StorageConfig storage, UploadsConfig uploads, Writers writers) {
        // as large a pool as the S3 client's, for the copy's threads (ingestion has a store of its own, see bma/IngestionS3)
        this(s3, presigner, storage, uploads, Math.max(64, writers.threads() * 2));
    }

    /** A store whose PUTs have a connection pool of their own, {@code putConnections} large. */
    public ObjectStore(S3Client s3, S3Presigner presigner, StorageConfig storage, UploadsConfig uploads, int putConnections) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = storage.bucket();
        this.urlTtl = uploads.urlTtl();
        this.signedPut = new SignedPut(presigner, s3, bucket, putConnections);
    }

    @PreDestroy
    public void close() {
        signedPut.close();
    }

    public String bucket() {
        return bucket;
    }

    /** Writes the object whole; S3 checks the bytes against the SHA-256 (base64) before it stores them. */
    public void put(String key, byte[] bytes, String contentType, String sha256Base64) {
        put(key, bytes, bytes.length, contentType, sha256Base64);
    }

    /** As {@link #put(String, byte[], String, String)}, for the first {@code length} bytes of the array. */
    public void put(String key, byte[] bytes, int length, String contentType, String sha256Base64) {
        signedPut.put(key, bytes, length, contentType, sha256Base64, null);
    }

    /** As {@link #put(String, byte[], String, String)}, waiting for a connection and for each answer at most {@code timeout}. */
    public void put(String key, byte[] bytes, String contentType, String sha256Base64, Duration timeout) {
        signedPut.put(key, bytes, bytes.length, contentType, sha256Base64, timeout);
    }

    /** One part of a multipart upload of {@code key}, checked by S3 against its CRC32C (base64); answers its ETag. */
    public String uploadPart(String key, String uploadId, int partNumber, byte[] bytes, int length, String crc32cBase64) {
        return signedPut.uploadPart(key, uploadId, partNumber, bytes, length, crc32cBase64);
    }

    public Optional<HeadObjectResponse> head(String key) {
        return head(key, null);
    }

    /** The object's head; the call, waiting for a connection included, fails after {@code timeout} (null: the client's default). */
    public Optional<HeadObjectResponse> head(String key, Duration timeout) {
        try {
            return Optional.of(s3.headObject(b -> {
                b.bucket(bucket).key(key);
                if (timeout != null) {
                    b.overrideConfiguration(o -> o.apiCallTimeout(timeout));
                }
            }));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 400) { // 400: a key S3 cannot hold names no object either
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Up to {@code n} bytes from the start of the object (a ranged GET), empty for an empty object. */
    public byte[] firstBytes(String key, int n) {
        return firstBytes(key, n, null);
    }

    /** As {@link #firstBytes(String, int)}, of the object only while its ETag is {@code ifMatch} (else S3 answers 412). */
    public byte[] firstBytes(String key, int n, String ifMatch) {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).range("bytes=0-" + (n - 1)).ifMatch(ifMatch));
            byte[] all = bytes.asByteArray();
            return all.length > n ? Arrays.copyOf(all, n) : all;
        } catch (S3Exception e) {
            if (e.statusCode() == 416) { // range not satisfiable: the object is empty
                return new byte[0];
            }
            throw e;
        }
    }

    /**
     * A server-side copy within the bucket, of the source only while its ETag is {@code ifMatch}: what was checked
     * is what is copied (a 412 S3Exception otherwise). The copy keeps the source's Content-Type.
     */
    public void copy(String from, String to, String ifMatch) {
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to).copySourceIfMatch(ifMatch));
    }

    /** Deletes the keys (missing ones are no error), in requests of at most 1,000 keys. */
    public void delete(Collection<String> keys) {
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += 1000) {
            List<ObjectIdentifier> ids = all.subList(from, Math.min(all.size(), from + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build()));
        }
    }

    /** One page of the keys under prefix, after {@code continuation} (null for the first page). */
    public Page list(String prefix, String continuation, int max) {
        ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(max).continuationToken(continuation));
        return new Page(r.contents().stream().map(o -> new Listed(o.key(), o.size(), o.lastModified())).toList(),
                Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null);
    }

    public record Page(List<Listed> objects, String next) {
    }

    /** A multipart upload not completed or aborted yet. */
    public record Unfinished(String key, String uploadId, Instant initiated) {
    }

    /** One page of the unfinished multipart uploads under prefix, after {@code after} (null for the first page). */
    public UnfinishedPage unfinished(String prefix, Unfinished after) {
        var r = s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix).keyMarker(after == null ? null : after.key())
                .uploadIdMarker(after == null ? null : after.uploadId()));
        List<Unfinished> uploads = r.uploads().stream().map(u -> new Unfinished(u.key(), u.uploadId(), u.initiated())).toList();
        return new UnfinishedPage(uploads, Boolean.TRUE.equals(r.isTruncated()) && !uploads.isEmpty() ? uploads.get(uploads.size() - 1) : null);
    }

    public record UnfinishedPage(List<Unfinished> uploads, Unfinished next) {
    }

    /** Aborts a multipart upload; its parts are deleted (an upload already gone is no error). */
    public void abort(Unfinished upload) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }

    /** A URL that lets its holder PUT exactly this object (type and size are signed) until it expires. */
    public Presigned presignPut(String key, String contentType, long size) {
        PresignedPutObjectRequest p = presigner.presignPutObject(r -> r.signatureDuration(urlTtl)
                .putObjectRequest(o -> o.bucket(bucket).key(key).contentType(contentType).contentLength(size)));
        Map<String, String> headers = new TreeMap<>();
        p.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name, String.join(",", values));
            }
        });
        return new Presigned(p.url().toString(), "PUT", headers, p.expiration());
    }

    /**
     * A URL that lets its holder GET the object, stored as {@code contentType}, until it expires. The bucket's origin must never render what a
     * tenant or a legacy server supplied: the image kinds and PDF are served as their own type (whatever the
     * object says), everything else as an attachment, which browsers save instead of showing.
     */
    public Presigned presignDownload(String key, String contentType) {
        Optional<FileKind> kind = FileKind.forContentType(contentType);
        var p = presigner.presignGetObject(r -> r.signatureDuration(urlTtl).getObjectRequest(o -> {
            o.bucket(bucket).key(key);
            if (kind.isPresent()) {
                o.responseContentType(kind.get().contentType());
            } else {
                o.responseContentDisposition("attachment").responseContentType(FileKind.UNKNOWN);
            }
        }));
        return new Presigned(p.url().toString(), "GET", Map.of(), p.expiration());
    }
}
