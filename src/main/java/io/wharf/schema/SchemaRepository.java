package io.wharf.schema;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.wharf.common.db.Jdbc;
import io.wharf.common.db.Statements;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads what the PostgreSQL catalog holds in the current schema, and the migration ledger. */
@ApplicationScoped
public class SchemaRepository {

    private static final String COLUMNS = "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema()";
    private static final String ENUM_VALUES = """
            SELECT t.typname || ':' || e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
            JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema()""";
    private static final String INDEXES = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()";
    private static final String CONSTRAINTS = """
            SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema()""";
    private static final String VIEWS = "SELECT table_name FROM information_schema.views WHERE table_schema = current_schema()";
    private static final String FUNCTIONS = "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()";
    private static final String COMMENTED = """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND obj_description(c.oid, 'pg_class') IS NOT NULL""";
    private static final String LEDGER = "SELECT version, checksum FROM schema_migrations";

    private final Jdbc jdbc;

    public SchemaRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Everything the verifier compares, in one connection: "table.column", enum "type:value", and object names by kind. */
    public Catalog catalog() {
        return jdbc.withConnection("reading the database catalog", c -> {
            Statements on = Statements.on(c);
            return new Catalog(strings(on, COLUMNS), strings(on, ENUM_VALUES), strings(on, INDEXES), strings(on, CONSTRAINTS), strings(on, VIEWS),
                    strings(on, FUNCTIONS), strings(on, COMMENTED));
        });
    }

    /** SHA-256 checksums from the ledger, by version. */
    public Map<String, String> ledgerChecksums() {
        record Row(String version, String checksum) {
        }
        Map<String, String> out = new HashMap<>();
        jdbc.query(LEDGER, Statements.Binder.NONE, rs -> new Row(rs.getString(1), rs.getString(2))).forEach(r -> out.put(r.version(), r.checksum()));
        return out;
    }

    private static Set<String> strings(Statements on, String sql) {
        return new HashSet<>(on.query(sql, Statements.Binder.NONE, rs -> rs.getString(1)));
    }

    public record Catalog(Set<String> columns, Set<String> enumValues, Set<String> indexes, Set<String> constraints,
            Set<String> views, Set<String> functions, Set<String> commented) {
    }
}
