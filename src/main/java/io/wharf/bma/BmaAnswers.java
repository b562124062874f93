package io.wharf.bma;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** The answer to a stored transaction, built from what was inserted (no read back), and the audit row's summary of it. */
final class BmaAnswers {

    private BmaAnswers() {
    }

    static BmaViews.Transaction view(Ingest ingest, List<StoredImage> images, BmaRepository.Inserted inserted) {
        List<BmaViews.Record> records = ingest.records().stream().map(r -> {
            List<BmaViews.Image> imgs = images.stream().filter(i -> i.record() == r.index())
                    .sorted(Comparator.comparingInt(StoredImage::position))
                    .map(i -> new BmaViews.Image(inserted.fileIds().get(i.record() + "/" + i.position()), i.source(), i.url(), i.contentType(),
                            i.sizeBytes(), i.checksumSha256(), i.originalFilename(), null, null))
                    .toList();
            JsonNode d = r.data();
            return new BmaViews.Record(inserted.recordIds().get(r.index()), r.index(), text(d, "material"), d.get("quantity"), text(d, "unit"),
                    d.get("price"), text(d, "currency"), d.get("observation"), imgs);
        }).toList();
        JsonNode data = ingest.transactionData();
        return new BmaViews.Transaction(ingest.externalId(), inserted.id(), "received", ingest.transactionDate(), data.get("location"),
                data.get("collected_by"), text(data, "notes"), inserted.createdAt(), records);
    }

    static Map<String, Object> auditSummary(BmaViews.Transaction view, BmaRepository.Inserted inserted) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transaction_id", view.transactionId());
        m.put("external_transaction_id", view.externalTransactionId());
        m.put("transaction_date", view.transactionDate().toString());
        m.put("records", inserted.records());
        m.put("file_ids", view.records().stream().flatMap(r -> r.images().stream()).map(BmaViews.Image::fileId).toList());
        m.put("migration_jobs", inserted.jobs());
        return m;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
