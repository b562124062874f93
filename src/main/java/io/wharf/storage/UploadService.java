package io.wharf.storage;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.wharf.audit.AuditService;
import io.wharf.common.Actor;
import io.wharf.common.WharfConfig;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Seed 001's upload flow: a pending user_uploads row and a presigned PUT, then a completion that asks S3
 * whether the object is really there with the declared size and type (checked from its first bytes).
 * An upload that no transaction uses expires and is swept, object and row.
 */
@ApplicationScoped
public class UploadService {

    private static final String RESOURCE = "user_upload";

    private final UploadRepository uploads;
    private final ObjectStore store;
    private final AuditService audit;
    private final WharfConfig config;

    UploadService(UploadRepository uploads, ObjectStore store, AuditService audit, WharfConfig config) {
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
        long max = config.uploads().maxFileSize().asLongValue();
        if (request.file_size() > max) {
            throw new WharfException(ErrorCode.PAYLOAD_TOO_LARGE, "file_size: " + request.file_size() + " bytes is more than the " + max
                    + " bytes an upload may have", Map.of("errors", List.of(Map.of("field", "file_size", "message", "must be at most " + max))));
        }
        if (request.metadata() != null) {
            io.wharf.common.web.JsonShape.check(request.metadata(), config.uploads().metadata()).ifPresent(v -> {
                throw new WharfException(v.tooLarge() ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.VALIDATION_FAILED, "metadata: " + v.message(),
                        Map.of("errors", List.of(Map.of("field", "metadata", "message", v.message()))));
            });
        }
        UUID id = UUID.randomUUID();
        String folder = "uploads/" + tenant + "/" + request.upload_type();
        UploadRequests.UploadView row = uploads.insert(tenant, id, user, request, kind, store.bucket(), folder, config.uploads().ttl());
        audit.record(tenant, actor, "create", RESOURCE, id.toString(), null, row);
        ObjectStore.Presigned put = store.presignPut(row.s3Key(), row.contentType(), row.fileSize());
        return row.with(new UploadRequests.UploadInstructions(put.url(), put.method(), put.headers(), put.expiresAt()));
    }

    public UploadRequests.UploadView get(UUID tenant, UUID id) {
        return uploads.find(tenant, id).orElseThrow(() -> notFound(id));
    }

    /**
     * Completes the upload once S3 holds the object with the declared size and Content-Type and its first bytes
     * are of that type. Asking S3 happens before the transaction; completing again answers the completed upload.
     */
    public UploadRequests.UploadView complete(UUID tenant, Actor actor, UUID id) {
        UploadRequests.UploadView upload = get(tenant, id);
        if (upload.completed()) {
            return upload;
        }
        HeadObjectResponse head = store.head(upload.s3Key()).orElseThrow(() -> new WharfException(ErrorCode.CONFLICT,
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
        FileKind sniffed = FileKind.sniff(store.firstBytes(upload.s3Key(), FileKind.SNIFF_BYTES)).orElse(null);
        if (sniffed == null || !sniffed.contentType().equals(upload.contentType())) {
            throw new WharfException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The uploaded bytes are " + (sniffed == null ? "of no type Wharf stores"
                    : sniffed.contentType()) + ", not " + upload.contentType() + " as declared.");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            UploadRequests.UploadView done = uploads.complete(tenant, id).orElse(null);
            if (done == null) { // completed meanwhile by a concurrent call
                return get(tenant, id);
            }
            audit.record(tenant, actor, "complete", RESOURCE, id.toString(), upload, done);
            return done;
        });
    }

    static WharfException notFound(UUID id) {
        return new WharfException(ErrorCode.NOT_FOUND, "No upload " + id + ".");
    }
}
