package io.wharf.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/** Reads what the PostgreSQL catalog holds in the current schema, and the migration ledger. */
@ApplicationScoped
public class SchemaRepository {

    private final DataSource dataSource;

    public SchemaRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Everything the verifier compares, in one connection: "table.column", enum "type:value", and object names by kind. */
    public Catalog catalog() {
        try (Connection c = dataSource.getConnection()) {
            return new Catalog(
                    strings(c, "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema()"),
                    strings(c, "SELECT t.typname || ':' || e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid "
                            + "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema()"),
                    strings(c, "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"),
                    strings(c,
                            "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema()"),
                    strings(c, "SELECT table_name FROM information_schema.views WHERE table_schema = current_schema()"),
                    strings(c, "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()"),
                    strings(c, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                            + "WHERE n.nspname = current_schema() AND obj_description(c.oid, 'pg_class') IS NOT NULL"));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the database catalog", e);
        }
    }

    /** SHA-256 checksums from the ledger, by version. */
    public Map<String, String> ledgerChecksums() {
        Map<String, String> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT version, checksum FROM schema_migrations");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read schema_migrations", e);
        }
        return out;
    }

    private static Set<String> strings(Connection c, String sql) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    public record Catalog(Set<String> columns, Set<String> enumValues, Set<String> indexes, Set<String> constraints,
            Set<String> views, Set<String> functions, Set<String> commented) {
    }
}
