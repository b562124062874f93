package io.wharf.storage;

import java.net.URI;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.web.Caller;
import io.wharf.common.web.CurrentCaller;
import io.wharf.common.web.QueryParams;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/uploads")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Uploads")
public class UploadResource {

    private final UploadService uploads;
    private final CurrentCaller caller;

    UploadResource(UploadService uploads, CurrentCaller caller) {
        this.uploads = uploads;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates a pending upload and answers a presigned PUT URL for its bytes",
            description = "PUT the file to upload.url with exactly upload.headers before upload.expires_at, then call "
                    + "POST /api/uploads/{id}/complete. An upload that no transaction uses is removed at expires_at.")
    public Response create(@Valid @NotNull UploadRequests.CreateUpload request) {
        Caller c = caller.get();
        // seed 001's user_id is a UUID: the caller's X-User-Id when it is one, else the API key
        UUID user = c.userId() != null && QueryParams.uuidOrNull(c.userId()) != null ? QueryParams.uuidOrNull(c.userId()) : c.keyId();
        UploadRequests.UploadView created = uploads.create(c.tenantId(), c.actor(), user, request);
        // the URL is a credential for the object until it expires
        return Response.created(URI.create("/api/uploads/" + created.id())).entity(created).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/{id}")
    public UploadRequests.UploadView get(@PathParam("id") String id) {
        return uploads.get(caller.tenantId(), uploadId(id));
    }

    @POST
    @Path("/{id}/complete")
    @Operation(summary = "Checks with S3 that the object is there with the declared size and type, and completes the upload")
    public UploadRequests.UploadView complete(@PathParam("id") String id) {
        return uploads.complete(caller.tenantId(), caller.actor(), uploadId(id));
    }

    private static UUID uploadId(String id) {
        UUID uuid = QueryParams.uuidOrNull(id);
        if (uuid == null) {
            throw new WharfException(ErrorCode.NOT_FOUND, "No such upload: upload ids are UUIDs.");
        }
        return uuid;
    }
}
