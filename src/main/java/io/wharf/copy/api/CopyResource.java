package io.wharf.copy.api;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wharf.common.web.CurrentCaller;
import io.wharf.common.web.Page;
import io.wharf.common.web.QueryParams;
import io.wharf.copy.queue.JobView;
import io.wharf.tenant.Scope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/s3-migration")
@RolesAllowed(Scope.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "S3 migration")
public class CopyResource {

    private final ScanService scan;
    private final ProgressService progress;
    private final CopyService migration;
    private final VerifyService verify;
    private final CurrentCaller caller;

    CopyResource(ScanService scan, ProgressService progress, CopyService migration, VerifyService verify, CurrentCaller caller) {
        this.scan = scan;
        this.progress = progress;
        this.migration = migration;
        this.verify = verify;
        this.caller = caller;
    }

    @POST
    @Path("/scan")
    @Operation(summary = "Queues one pending job per legacy URL whose S3 column is still empty (idempotent); dry_run only counts")
    public ScanService.Result scan(@QueryParam("dry_run") String dryRun, @QueryParam("table") String table) {
        return scan.scan(table == null || table.isBlank() ? null : QueryParams.text("table", table), QueryParams.bool("dry_run", dryRun));
    }

    @GET
    @Path("/progress")
    @Operation(summary = "Jobs and bytes per table and status, rates, ETA, oldest pending job, workers alive, paused")
    public ProgressService.Progress progress() {
        return progress.progress();
    }

    @GET
    @Path("/jobs")
    @Operation(summary = "Jobs, newest first, by status, table and error text; page with limit (1-500) and nextCursor")
    public Page<JobView> jobs(@QueryParam("status") String status, @QueryParam("table") String table, @QueryParam("error") String error,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return migration.jobs(status, table, error, cursor, limit);
    }

    @POST
    @Path("/retry")
    @Operation(summary = "Sends failed jobs (all, of a table, or whose error contains a text) back to pending")
    public CopyService.Retried retry(@QueryParam("table") String table, @QueryParam("error") String error) {
        return migration.retry(table, error);
    }

    @POST
    @Path("/verify")
    @Operation(summary = "Checks a page of migrated objects in S3 (size; with deep=true also SHA-256); requeue=true sends mismatches back")
    public VerifyService.Report verify(@QueryParam("cursor") String cursor, @QueryParam("limit") String limit, @QueryParam("deep") String deep,
            @QueryParam("requeue") String requeue) {
        return verify.verify(cursor, limit, QueryParams.bool("deep", deep), QueryParams.bool("requeue", requeue));
    }

    @POST
    @Path("/pause")
    @Operation(summary = "Stops new copies on every instance within a second; copies in flight finish")
    public CopyService.Switch pause() {
        return migration.pause(true, caller.actor());
    }

    @POST
    @Path("/resume")
    public CopyService.Switch resume() {
        return migration.pause(false, caller.actor());
    }
}
