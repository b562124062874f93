package io.wharf.bma;

import java.net.URI;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.web.CurrentCaller;
import io.wharf.common.web.Page;
import io.wharf.common.work.TenantSlots.Permit;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/integration/bma")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "BMA integration")
public class BmaResource {

    private final BmaIngestService ingest;
    private final BmaTransactionService transactions;
    private final CurrentCaller caller;
    private final TenantPermits permits;

    BmaResource(BmaIngestService ingest, BmaTransactionService transactions, CurrentCaller caller, TenantPermits permits) {
        this.permits = permits;
        this.ingest = ingest;
        this.transactions = transactions;
        this.caller = caller;
    }

    @POST
    @Path("/transaction")
    @Consumes(MediaType.WILDCARD) // the service answers another type with 415, and logs the call like any other
    @Operation(summary = "Stores a waste-collection transaction with its records and images, whole or not at all",
            description = BmaApiDescription.POST)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BmaTransactionRequest.class),
            examples = @ExampleObject(name = "mixed images", value = BmaApiDescription.EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Stored; the answer is the transaction with each image's file id")
    @APIResponse(responseCode = "200", description = "The same transaction was stored before (same content, or an Idempotency-Key replay)")
    @APIResponse(responseCode = "400", description = "Invalid fields, each named by JSON Pointer in errors[].field; nothing stored")
    @APIResponse(responseCode = "409", description = "The external_transaction_id is stored already with different content")
    @APIResponse(responseCode = "413", description = "Body, records, images or image bytes beyond the limits")
    @APIResponse(responseCode = "415", description = "An inline image of a type Wharf does not store (checked from its bytes)")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different body")
    @APIResponse(responseCode = "429",
            description = "This tenant has wharf.bma.max-concurrent-per-tenant requests in progress; retry after Retry-After")
    @APIResponse(responseCode = "503", description = "S3 did not answer within wharf.bma.s3-deadline (nothing stored); retry after Retry-After")
    public Response post(byte[] body, @HeaderParam("Idempotency-Key") String idempotencyKey, @HeaderParam("Content-Type") String contentType) {
        BmaIngestService.Outcome o;
        try (Permit permit = permits.acquire(caller.tenantId())) {
            o = ingest.ingest(caller.tenantId(), caller.actor(), contentType, body == null ? new byte[0] : body, idempotencyKey);
        }
        return Response.status(o.status()).location(URI.create(o.location())).type(MediaType.APPLICATION_JSON).entity(o.json()).build();
    }

    @GET
    @Path("/transaction/{external_id}")
    @Operation(summary = "A stored transaction; each S3 image with a short-lived presigned download URL")
    @ResponseHeader(name = "Cache-Control", value = "no-store") // the download URLs are credentials until they expire
    public BmaViews.Transaction get(@PathParam("external_id") String externalId) {
        if (externalId.length() > 255 || externalId.indexOf('\u0000') >= 0) {
            throw new WharfException(ErrorCode.NOT_FOUND, "No transaction with this id.");
        }
        return transactions.get(caller.tenantId(), externalId, true);
    }

    @GET
    @Path("/transactions")
    @Operation(summary = "Stored transactions, newest first; page with limit (1-200) and the nextCursor of the previous page")
    public Page<BmaViews.Summary> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return transactions.list(caller.tenantId(), cursor, limit);
    }
}
