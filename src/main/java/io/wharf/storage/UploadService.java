package io.wharf.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.wharf.audit.AuditService;
import io.wharf.common.Actor;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.web.JsonShape;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Seed 001's upload flow: a pending user_uploads row and a presigned PUT, then a completion that asks S3
 * whether the object is really there with the declared size and type (checked from its first bytes).
 * The client PUTs to a staging key that nothing may refer to (not a tenant area of the bucket); completion
 * copies exactly the checked bytes (pinned by their ETag) to the upload's own key, records that key and removes
 * the staged ones. So the object a files row points at cannot change after completion, although the presigned
 * PUT stays valid for its whole lifetime: bytes PUT again only reach the staging key, which the sweep clears.
 * An upload that no transaction uses expires and is swept, object and row.
 */
@ApplicationScoped
public class UploadService {

    private static final Logger LOG = Logger.getLogger(UploadService.class);
    private static final String RESOURCE = "user_upload";

    private final UploadRepository uploads;
    private final ObjectStore store;
    private final AuditService audit;
    private final UploadsConfig config;

    UploadService(UploadRepository uploads, ObjectStore store, AuditService audit, UploadsConfig config) {
        this.uploads = uploads;
        this.store = store;
        this.audit = audit;
        this.config = config;
    }

    /** {@code user} is seed 001's user_id: whoever the caller says uploads (a UUID). */
    @Transactional
    public UploadRequests.UploadView create(UUID tenant, Actor actor, UUID user, UploadRequests.CreateUpload request) {
        FileKind kind = FileKind.forContentType(request.content_type()).orElseThrow(() -> new WharfException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "content_type: " + request.content_type() + " is not a type Wharf stores; use one of " + FileKind.accepted(),
                Map.of("errors", List.of(Map.of("field", "content_type", "message", "must be one of " + FileKind.accepted())))));
        long max = config.maxFileSize().asLongValue();
        if (request.file_size() > max) {
            throw new WharfException(ErrorCode.PAYLOAD_TOO_LARGE, "file_size: " + request.file_size() + " bytes is more than the " + max
                    + " bytes an upload may have", Map.of("errors", List.of(Map.of("field", "file_size", "message", "must be at most " + max))));
        }
        if (request.metadata() != null) {
            JsonShape.check(request.metadata(), config.metadata()).ifPresent(v -> {
                throw new WharfException(v.tooLarge() ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.VALIDATION_FAILED, "metadata: " + v.message(),
                        Map.of("errors", List.of(Map.of("field", "metadata", "message", v.message()))));
            });
        }
        UUID id = UUID.randomUUID();
        String folder = "uploads/" + tenant + "/" + request.upload_type();
        UploadRequests.UploadView row = uploads.insert(tenant, id, user, request, kind, store.bucket(), folder, config.ttl());
        audit.record(tenant, actor, "create", RESOURCE, id.toString(), null, row);
        ObjectStore.Presigned put = store.presignPut(UploadRepository.stagingKey(tenant, row.filename()), row.contentType(), row.fileSize());
        return row.with(new UploadRequests.UploadInstructions(put.url(), put.method(), put.headers(), put.expiresAt()));
    }

    public UploadRequests.UploadView get(UUID tenant, UUID id) {
        return uploads.find(tenant, id).orElseThrow(() -> notFound(id));
    }

    /**
     * Completes the upload once S3 holds the staged object with the declared size and Content-Type and its first
     * bytes are of that type, copied to the upload's key (named after the checked ETag, so two completions racing
     * with different bytes write different keys and only the recorded one stays). Asking S3 happens before the
     * transaction; completing again answers the completed upload.
     */
    public UploadRequests.UploadView complete(UUID tenant, Actor actor, UUID id) {
        UploadRequests.UploadView upload = get(tenant, id);
        if (upload.completed()) {
            return upload;
        }
        String staging = UploadRepository.stagingKey(tenant, upload.filename());
        HeadObjectResponse head = store.head(staging).orElseThrow(() -> new WharfException(ErrorCode.CONFLICT,
                "Nothing has been uploaded for " + id + " yet: PUT the file to the upload URL first."));
        if (head.contentLength() == null || head.contentLength() != upload.fileSize()) {
            throw new WharfException(ErrorCode.CONFLICT, "The uploaded object is " + head.contentLength() + " bytes, but the upload declared "
                    + upload.fileSize() + " bytes; upload the declared file again.");
        }
        if (head.contentType() == null || !FileKind.forContentType(head.contentType()).map(FileKind::contentType).orElse("")
                .equals(upload.contentType())) {
            throw new WharfException(ErrorCode.CONFLICT, "The uploaded object's Content-Type is " + head.contentType() + ", but the upload declared "
                    + upload.contentType() + ".");
        }
        String key = finalKey(upload.s3Key(), head.eTag());
        try {
            FileKind sniffed = FileKind.sniff(store.firstBytes(staging, FileKind.SNIFF_BYTES, head.eTag())).orElse(null);
            if (sniffed == null || !sniffed.contentType().equals(upload.contentType())) {
                throw new WharfException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The uploaded bytes are " + (sniffed == null
                        ? "of no type Wharf stores" : sniffed.contentType()) + ", not " + upload.contentType() + " as declared.");
            }
            store.copy(staging, key, head.eTag());
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new WharfException(ErrorCode.CONFLICT, "The uploaded object was replaced while it was checked; complete the upload again.");
            }
            throw e;
        }
        UploadRequests.UploadView done = QuarkusTransaction.requiringNew().call(() -> {
            UploadRequests.UploadView completed = uploads.complete(tenant, id, key).orElse(null);
            if (completed == null) { // completed meanwhile by a concurrent call
                return get(tenant, id);
            }
            audit.record(tenant, actor, "complete", RESOURCE, id.toString(), upload, completed);
            return completed;
        });
        try {
            // a concurrent completion that recorded other bytes keeps its own copy; this one's is nobody's
            store.delete(key.equals(done.s3Key()) ? List.of(staging) : List.of(staging, key));
        } catch (RuntimeException e) {
            LOG.debugf("Staged bytes of upload %s stay until the sweep (%s)", id, e.toString());
        }
        return done;
    }

    /** {@code <folder>/<id>.<ext>} becomes {@code <folder>/<id>-<hash of the ETag>.<ext>}: one key per content checked. */
    static String finalKey(String plannedKey, String eTag) {
        int dot = plannedKey.lastIndexOf('.');
        String base = dot > plannedKey.lastIndexOf('/') ? plannedKey.substring(0, dot) : plannedKey;
        String ext = dot > plannedKey.lastIndexOf('/') ? plannedKey.substring(dot) : "";
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(eTag).getBytes(StandardCharsets.UTF_8));
            return base + "-" + HexFormat.of().formatHex(h, 0, 8) + ext;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static WharfException notFound(UUID id) {
        return new WharfException(ErrorCode.NOT_FOUND, "No upload " + id + ".");
    }
}
