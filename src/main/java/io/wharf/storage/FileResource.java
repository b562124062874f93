package io.wharf.storage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.web.CurrentCaller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/files")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Files")
public class FileResource {

    private final FileService files;
    private final CurrentCaller caller;

    FileResource(FileService files, CurrentCaller caller) {
        this.files = files;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A file's metadata and, for files in Wharf's bucket, a short-lived presigned download URL")
    @ResponseHeader(name = "Cache-Control", value = "no-store") // the download URL is a credential until it expires
    public FileView get(@PathParam("id") String id) {
        if (!id.matches("[0-9]{1,18}")) {
            throw new WharfException(ErrorCode.NOT_FOUND, "No such file: file ids are whole numbers.");
        }
        return files.get(caller.tenantId(), Long.parseLong(id));
    }
}
