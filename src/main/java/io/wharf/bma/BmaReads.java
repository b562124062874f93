package io.wharf.bma;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wharf.common.web.PageCursor;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads of stored transactions, always within one tenant, on a pooled connection per query. */
@ApplicationScoped
class BmaReads {

    record TransactionRow(long id, String externalId, String status, OffsetDateTime transactionDate, JsonNode data, OffsetDateTime createdAt) {
    }

    record RecordRow(long id, int index, JsonNode data, List<Long> fileIds) {
    }

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    BmaReads(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    Optional<TransactionRow> transaction(UUID tenant, String externalId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, external_transaction_id, status, transaction_date, transaction_data::text, "
                     + "created_at FROM transactions WHERE tenant_id = ? AND external_transaction_id = ?")) {
            ps.setObject(1, tenant);
            ps.setString(2, externalId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new TransactionRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class), json(rs.getString(5)), rs.getObject(6, OffsetDateTime.class))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading transactions failed", e);
        }
    }

    List<RecordRow> records(long transactionId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, record_index, record_data::text, images::text FROM transaction_records "
                     + "WHERE transaction_id = ? ORDER BY record_index, id")) {
            ps.setLong(1, transactionId);
            List<RecordRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Long> ids = new ArrayList<>();
                    for (JsonNode id : json(rs.getString(4))) {
                        if (id.canConvertToLong()) { // rows written before Wharf may hold URLs here; only file ids are shown
                            ids.add(id.asLong());
                        }
                    }
                    out.add(new RecordRow(rs.getLong(1), rs.getInt(2), json(rs.getString(3)), ids));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading transaction records failed", e);
        }
    }

    /** Newest first, after the cursor; limit+1 rows so the caller can tell whether there is more. */
    List<BmaViews.Summary> page(UUID tenant, PageCursor after, int limit) {
        String sql = "SELECT t.id, t.external_transaction_id, t.status, t.transaction_date, t.created_at, "
                + "(SELECT count(*) FROM transaction_records r WHERE r.transaction_id = t.id), "
                + "(SELECT COALESCE(sum(jsonb_array_length(r.images)), 0) FROM transaction_records r WHERE r.transaction_id = t.id) "
                + "FROM transactions t WHERE t.tenant_id = ?" + (after == null ? "" : " AND (t.created_at, t.id) < (?, ?)")
                + " ORDER BY t.created_at DESC, t.id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setObject(i++, tenant);
            if (after != null) {
                ps.setObject(i++, after.createdAt());
                ps.setLong(i++, Long.parseLong(after.id()));
            }
            ps.setInt(i, limit + 1);
            List<BmaViews.Summary> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new BmaViews.Summary(rs.getString(2), rs.getLong(1), rs.getString(3), rs.getObject(4, OffsetDateTime.class),
                            rs.getInt(6), rs.getInt(7), rs.getObject(5, OffsetDateTime.class)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Listing transactions failed", e);
        }
    }

    private JsonNode json(String text) {
        try {
            return text == null ? mapper.nullNode() : io.wharf.common.web.PlainNumbers.read(mapper, text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not readable", e);
        }
    }
}
