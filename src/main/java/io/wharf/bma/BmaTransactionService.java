package io.wharf.bma;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.web.Page;
import io.wharf.common.web.PageCursor;
import io.wharf.common.web.QueryParams;
import io.wharf.storage.FileService;
import io.wharf.storage.FileView;
import jakarta.enterprise.context.ApplicationScoped;

/** Stored transactions as their tenant reads them: each image by its file id, never by a raw URL alone. */
@ApplicationScoped
public class BmaTransactionService {

    static final String LIST = "bma_transactions";

    private final BmaRepository reads;
    private final FileService files;

    BmaTransactionService(BmaRepository reads, FileService files) {
        this.reads = reads;
        this.files = files;
    }

    /** With {@code downloads}, each S3 image carries a presigned download URL. */
    public BmaViews.Transaction get(UUID tenant, String externalId, boolean downloads) {
        return find(tenant, externalId, downloads).orElseThrow(() -> new WharfException(ErrorCode.NOT_FOUND, "No transaction with this id."));
    }

    Optional<BmaViews.Transaction> find(UUID tenant, String externalId, boolean downloads) {
        return reads.transaction(tenant, externalId).map(t -> view(tenant, t, downloads));
    }

    public Page<BmaViews.Summary> list(UUID tenant, String cursor, String limit) {
        int n = QueryParams.limit("limit", limit, 50, 200);
        PageCursor after = null;
        if (cursor != null && !cursor.isBlank()) {
            after = PageCursor.decode(cursor, LIST);
            if (!after.id().matches("\\d{1,18}")) {
                throw PageCursor.invalid();
            }
        }
        List<BmaViews.Summary> rows = reads.page(tenant, after, n);
        return Page.of(rows, n, LIST, s -> new PageCursor(s.createdAt(), Long.toString(s.transactionId())), Function.identity());
    }

    private BmaViews.Transaction view(UUID tenant, BmaRepository.TransactionRow t, boolean downloads) {
        List<BmaRepository.RecordRow> records = reads.records(t.id());
        List<Long> ids = records.stream().flatMap(r -> r.fileIds().stream()).toList();
        Map<Long, FileView> byId = (downloads ? files.getAll(tenant, ids) : files.metadata(tenant, ids)).stream()
                .collect(Collectors.toMap(FileView::id, Function.identity()));
        List<BmaViews.Record> out = records.stream().map(r -> new BmaViews.Record(r.id(), r.index(), text(r.data(), "material"),
                r.data().get("quantity"), text(r.data(), "unit"), r.data().get("price"), text(r.data(), "currency"), r.data().get("observation"),
                r.fileIds().stream().map(byId::get).filter(Objects::nonNull).map(BmaTransactionService::image).toList())).toList();
        JsonNode data = t.data();
        return new BmaViews.Transaction(t.externalId(), t.id(), t.status(), t.transactionDate(), data.get("location"), data.get("collected_by"),
                text(data, "notes"), t.createdAt(), out);
    }

    private static BmaViews.Image image(FileView f) {
        return new BmaViews.Image(f.id(), f.source(), f.url(), f.contentType(), f.sizeBytes(), f.checksumSha256(), f.originalFilename(),
                f.downloadUrl(), f.downloadExpiresAt());
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
