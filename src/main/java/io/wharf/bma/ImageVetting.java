package io.wharf.bma;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.smallrye.common.annotation.Identifier;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.net.LenientUrl;
import io.wharf.common.net.Origin;
import io.wharf.common.net.OutboundAddressPolicy;
import io.wharf.common.net.OutboundConfig;
import io.wharf.common.net.OutboundUrlPolicy;
import io.wharf.common.net.OutboundUrls;
import io.wharf.storage.BucketUrls;
import io.wharf.storage.FileKind;
import io.wharf.storage.ObjectStore;
import io.wharf.storage.UploadRepository;
import io.wharf.storage.UploadRequests.UploadView;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Turns each parsed image into the files row it will be, checking what the parser cannot: that the migration
 * will be allowed to fetch an external URL (the tenant's outbound policy: port, address, not Wharf's own S3
 * endpoint; the fetch applies the same one again at every hop), that a URL into Wharf's bucket names an object of this
 * tenant that exists, and that an upload is this tenant's, completed and not expired. Network and database
 * reads only, before any transaction; every problem is added to the request's errors.
 */
@ApplicationScoped
class ImageVetting {

    /** Distinct hosts of external URLs one transaction may use: each costs a name lookup. */
    static final int MAX_HOSTS = 20;

    private final OutboundUrlPolicy policy;
    private final ObjectStore store;
    private final UploadRepository uploads;
    private final OutboundConfig outbound;
    private final BmaConfig config;
    private final BucketUrls bucketUrls;

    private final S3Calls calls;

    ImageVetting(OutboundUrls policies, @Identifier(IngestionS3.INGESTION) ObjectStore store, UploadRepository uploads, OutboundConfig outbound,
            BmaConfig config,
            BucketUrls bucketUrls, S3Calls calls) {
        this.policy = policies.tenant(); // the very policy the migration fetches this tenant's URLs with
        this.calls = calls;
        this.store = store;
        this.uploads = uploads;
        this.outbound = outbound;
        this.config = config;
        this.bucketUrls = bucketUrls;
    }

    List<StoredImage> vet(UUID tenant, Ingest ingest, FieldErrors errors, S3Calls.Deadline s3Deadline) {
        List<Ingest.Image> all = ingest.records().stream().flatMap(r -> r.images().stream()).toList();
        Map<String, Optional<String>> hosts = new HashMap<>();
        long deadline = System.nanoTime() + outbound.timeoutSeconds() * 1_000_000_000L; // one for all the lookups of a request
        long distinct = all.stream().filter(i -> i instanceof Ingest.UrlImage u && u.ownKey() == null)
                .map(i -> uri(((Ingest.UrlImage) i).url()).getHost().toLowerCase(Locale.ROOT)).distinct().count();
        if (distinct > MAX_HOSTS) {
            errors.add("/records", "has image URLs on " + distinct + " hosts; a transaction may use at most " + MAX_HOSTS);
            return List.of();
        }
        Map<UUID, UploadView> found = uploads(tenant, all);
        Map<String, UploadView> byKey = uploadsByKey(tenant, all);
        Map<String, Optional<HeadObjectResponse>> heads = heads(tenant, all, s3Deadline);
        String prefix = config.objectPrefix() + "/" + tenant + "/" + BmaParser.sha256Hex(ingest.externalId()).substring(0, 32) + "/";
        List<StoredImage> out = new ArrayList<>();
        for (Ingest.Image image : all) {
            StoredImage stored = null;
            if (image instanceof Ingest.UrlImage u && u.ownKey() == null) {
                stored = external(tenant, u, hosts, deadline, errors);
            } else if (image instanceof Ingest.UrlImage u) {
                stored = own(tenant, u, byKey, heads, errors);
            } else if (image instanceof Ingest.UploadImage u) {
                stored = upload(u, found.get(u.uploadId()), errors, "/upload_id");
            } else if (image instanceof Ingest.InlineImage i) {
                String key = prefix + i.record() + "-" + i.position() + "-" + i.sha256Hex().substring(0, 16) + "." + i.kind().extension();
                stored = new StoredImage(i.record(), i.position(), "s3", bucketUrls.canonical(key), store.bucket(), key, i.kind().contentType(),
                        (long) i.bytes().length, i.sha256Hex(), i.filename(), null, i, false);
            }
            if (stored != null) {
                out.add(stored);
            }
        }
        return out;
    }

    private StoredImage external(UUID tenant, Ingest.UrlImage u, Map<String, Optional<String>> hosts, long deadline, FieldErrors errors) {
        URI uri = uri(u.url());
        String origin = Origin.of(uri).toString();
        Optional<String> refused = hosts.computeIfAbsent(origin, o -> refusal(uri, tenant, deadline));
        if (refused.isPresent()) {
            errors.add(u.pointer() + "/url", refused.get());
            return null;
        }
        return new StoredImage(u.record(), u.position(), "ext", u.url(), null, null, null, null, null, u.filename(), null, null, false);
    }

    /** Why Wharf may not fetch from the host later, if it may not; a lookup that timed out is the client's to retry. */
    private Optional<String> refusal(URI uri, UUID tenant, long deadline) {
        try {
            policy.check(uri, tenant, deadline);
            return Optional.empty();
        } catch (OutboundAddressPolicy.Busy e) {
            throw new WharfException(ErrorCode.TOO_MANY_REQUESTS, "Too many image hosts of this tenant are being looked up at once (" + e.getMessage()
                    + ").", Map.of(WharfException.RETRY_AFTER_SECONDS, Math.max(1, outbound.timeoutSeconds())));
        } catch (OutboundAddressPolicy.TimedOut e) {
            throw new WharfException(ErrorCode.SERVICE_UNAVAILABLE, "The host of an image URL could not be looked up in time (" + e.getMessage()
                    + "); try again.");
        } catch (OutboundAddressPolicy.Refused e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The parser took the URL (BucketUrls read it the same lenient way), so it parses. */
    private static URI uri(String url) {
        try {
            return LenientUrl.parse(url);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("an image URL the parser accepted does not parse", e);
        }
    }

    /** The heads of the objects named by bucket URLs (outside uploads/), asked in parallel under the request's deadline. */
    private Map<String, Optional<HeadObjectResponse>> heads(UUID tenant, List<Ingest.Image> all, S3Calls.Deadline deadline) {
        List<String> keys = all.stream().filter(i -> i instanceof Ingest.UrlImage u && u.ownKey() != null && !u.ownKey().startsWith("uploads/")
                && BucketUrls.ownedBy(u.ownKey(), tenant)).map(i -> ((Ingest.UrlImage) i).ownKey()).distinct().toList();
        List<Optional<HeadObjectResponse>> found = calls.each(keys, deadline, k -> store.head(k, deadline.left()));
        Map<String, Optional<HeadObjectResponse>> out = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            out.put(keys.get(i), found.get(i));
        }
        return out;
    }

    private StoredImage own(UUID tenant, Ingest.UrlImage u, Map<String, UploadView> uploadsByKey, Map<String, Optional<HeadObjectResponse>> heads,
            FieldErrors errors) {
        if (!BucketUrls.ownedBy(u.ownKey(), tenant)) {
            errors.add(u.pointer() + "/url", "names an object of Wharf's bucket outside this tenant's files; upload it with POST /api/uploads");
            return null;
        }
        if (u.ownKey().startsWith("uploads/")) {
            // an upload's object by its URL: the upload's rules apply as for its id
            UploadView upload = uploadsByKey.get(u.ownKey());
            if (upload == null) {
                errors.add(u.pointer() + "/url", "names no upload of this tenant");
                return null;
            }
            return upload(new Ingest.UploadImage(u.record(), u.position(), u.pointer(), u.filename(), upload.id()), upload, errors, "/url");
        }
        Optional<HeadObjectResponse> head = heads.get(u.ownKey());
        if (head.isEmpty()) {
            errors.add(u.pointer() + "/url", "names no object in Wharf's bucket");
            return null;
        }
        String type = FileKind.forContentType(head.get().contentType()).map(FileKind::contentType).orElse(head.get().contentType());
        return new StoredImage(u.record(), u.position(), "s3", bucketUrls.canonical(u.ownKey()), store.bucket(), u.ownKey(), type,
                head.get().contentLength(), checksum(head.get()), u.filename(), null, null, true);
    }

    private static String checksum(HeadObjectResponse head) {
        String b64 = head.checksumSHA256();
        if (b64 == null || b64.contains("-")) { // absent, or a checksum of parts rather than of the object
            return null;
        }
        try {
            return HexFormat.of().formatHex(Base64.getDecoder().decode(b64));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Map<UUID, UploadView> uploads(UUID tenant, List<Ingest.Image> all) {
        List<UUID> ids = all.stream().filter(i -> i instanceof Ingest.UploadImage).map(i -> ((Ingest.UploadImage) i).uploadId()).distinct().toList();
        return ids.isEmpty() ? Map.of() : uploads.findAll(tenant, ids).stream().collect(Collectors.toMap(UploadView::id, Function.identity()));
    }

    private Map<String, UploadView> uploadsByKey(UUID tenant, List<Ingest.Image> all) {
        List<String> keys = all.stream().filter(i -> i instanceof Ingest.UrlImage u && u.ownKey() != null && u.ownKey().startsWith("uploads/"))
                .map(i -> ((Ingest.UrlImage) i).ownKey()).distinct().toList();
        return keys.isEmpty() ? Map.of()
                : uploads.findByKeys(tenant, store.bucket(), keys).stream()
                        .collect(Collectors.toMap(UploadView::s3Key, Function.identity(), (a, b) -> a));
    }

    private StoredImage upload(Ingest.UploadImage u, UploadView upload, FieldErrors errors, String field) {
        String at = u.pointer() + field;
        if (upload == null) {
            errors.add(at, "no upload " + u.uploadId() + " exists for this API key's tenant");
            return null;
        }
        if (!upload.completed()) {
            errors.add(at, "upload " + u.uploadId() + " is not complete: PUT the file, then POST /api/uploads/" + u.uploadId() + "/complete");
            return null;
        }
        if (upload.expiresAt() != null && !upload.expiresAt().isAfter(OffsetDateTime.now())) {
            errors.add(at, "upload " + u.uploadId() + " expired at " + upload.expiresAt() + "; upload the file again");
            return null;
        }
        return new StoredImage(u.record(), u.position(), "s3", bucketUrls.canonical(upload.s3Key()), upload.s3Bucket(), upload.s3Key(),
                upload.contentType(), upload.fileSize(), null, u.filename() != null ? u.filename() : upload.originalFilename(), upload.id(), null,
                false);
    }
}
