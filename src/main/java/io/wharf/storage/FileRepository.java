package io.wharf.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wharf.common.db.Jdbc;
import io.wharf.common.db.Statements;
import io.wharf.common.web.PlainNumbers;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads of files rows, always within one tenant. Plain SQL: they are read in batches by id and mapped once. */
@ApplicationScoped
public class FileRepository {

    private static final String COLUMNS = "id, source::text, file_type, url, s3_bucket, s3_key, content_type, size_bytes, checksum_sha256, "
            + "original_filename, observation::text, related_entity_type, related_entity_id, created_at";

    private static final String FIND = "SELECT " + COLUMNS + " FROM files WHERE tenant_id = ? AND id = ANY(?)";

    private final Jdbc jdbc;
    private final ObjectMapper mapper;

    FileRepository(Jdbc jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** The tenant's files among {@code ids}, in no particular order; others' and missing ids are left out. */
    public List<FileView> find(UUID tenant, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.query(FIND, ps -> {
            ps.setObject(1, tenant);
            ps.setArray(2, Statements.array(ps, "bigint", ids));
        }, this::row);
    }

    private FileView row(ResultSet rs) throws SQLException {
        String observation = rs.getString(11);
        try {
            return new FileView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                    rs.getString(7), (Long) rs.getObject(8, Long.class), rs.getString(9), rs.getString(10),
                    observation == null ? null : PlainNumbers.read(mapper, observation), rs.getString(12),
                    (Long) rs.getObject(13, Long.class),
                    rs.getObject(14, OffsetDateTime.class), null, null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("files.observation is not JSON", e);
        }
    }
}
