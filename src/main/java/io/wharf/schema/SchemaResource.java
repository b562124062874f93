package io.wharf.schema;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/admin")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Schema administration")
public class SchemaResource {

    private final SchemaService service;

    SchemaResource(SchemaService service) {
        this.service = service;
    }

    @GET
    @Path("/migrations")
    @Operation(summary = "Every migration Flyway knows, with its state and the ledger's SHA-256")
    public List<SchemaService.MigrationView> migrations() {
        return service.migrations();
    }

    @GET
    @Path("/schema")
    @Operation(summary = "Checks that every table, column, enum, index, view and function of the contract exists")
    public SchemaService.SchemaReport schema() {
        SchemaService.SchemaReport report = service.verify();
        if (!report.ok()) {
            throw new WharfException(ErrorCode.SCHEMA_INCOMPLETE, report.missing().size() + " schema object(s) are missing: "
                    + String.join(", ", report.missing()),
                    Map.of("ok", false, "checked", report.checked(), "missing", report.missing()));
        }
        return report;
    }
}
