package io.wharf.storage;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import jakarta.enterprise.context.ApplicationScoped;

/** Files as their tenant sees them, with a presigned download URL for the objects in Wharf's bucket. */
@ApplicationScoped
public class FileService {

    private final FileRepository files;
    private final ObjectStore store;

    FileService(FileRepository files, ObjectStore store) {
        this.files = files;
        this.store = store;
    }

    /** Another tenant's file is answered exactly like a missing one. */
    public FileView get(UUID tenant, long id) {
        return files.find(tenant, List.of(id)).stream().findFirst().map(this::withDownload)
                .orElseThrow(() -> new WharfException(ErrorCode.NOT_FOUND, "No file " + id + "."));
    }

    /** The tenant's files among ids, each with its download URL where it has one. */
    public List<FileView> getAll(UUID tenant, Collection<Long> ids) {
        return files.find(tenant, ids).stream().map(this::withDownload).toList();
    }

    /** The tenant's files among ids, without download URLs. */
    public List<FileView> metadata(UUID tenant, Collection<Long> ids) {
        return files.find(tenant, ids);
    }

    /** Presigning is computed here, without a call to S3; only images and PDFs are shown inline (see presignDownload). */
    FileView withDownload(FileView f) {
        return f.downloadable(store.bucket()) ? f.withDownload(store.presignDownload(f.s3Key(), f.contentType())) : f;
    }
}
