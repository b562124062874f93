package io.wharf.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.jboss.logging.Logger;

/**
 * V1..V9 create the seeds' tables with {@code CREATE TABLE IF NOT EXISTS} and then rely on every column of
 * that statement, but a table the seeds' services made earlier may have fewer (seed 004's adapter made
 * {@code tenants} without {@code metadata}, so V7 failed). Applied scripts cannot be edited, and the failure
 * comes before any new script could run, so this Flyway callback runs before every migrate and gives each
 * seed table that already exists the columns (and defaults, and enum values) the scripts would have created it
 * with. Columns that are NOT NULL without a default there are added nullable (old rows have no value) unless
 * a value can be derived. It reads the catalog first and alters only what is missing: on a fresh or an
 * already-migrated database it changes nothing and takes no lock.
 *
 * <p>The list is what V1..V9 assumed and stays as it is: later scripts add their own columns with
 * {@code ADD COLUMN IF NOT EXISTS}. A script that drops one of these columns must remove it here too.
 */
public class AdoptedTables implements Callback {

    /** A column as V1..V9 (and the ledger) define it; backfill, when set, fills old rows before NOT NULL. */
    record Column(String table, String name, String type, String defaultValue, boolean notNull, String backfill) {
    }

    private static final Logger LOG = Logger.getLogger(AdoptedTables.class);

    static final List<Column> COLUMNS = List.of(
            // seed 000 (V1 adds the columns of files and transactions itself)
            col("transaction_records", "transaction_id", "BIGINT"),
            // seed 001 (V2)
            col("business_partners", "name", "TEXT", "''", true),
            col("business_partners", "contract_urls", "JSONB", "'[]'::jsonb", true),
            col("business_partners", "verification_document_urls", "JSONB", "'[]'::jsonb", true),
            col("business_partners", "created_at", "TIMESTAMPTZ", "NOW()", true),
            col("business_partners", "updated_at", "TIMESTAMPTZ", "NOW()", true),
            col("business_profiles", "user_id", "UUID"),
            col("business_profiles", "partner_id", "UUID"),
            col("business_profiles", "business_name", "TEXT", "''", true),
            col("business_profiles", "avatar_url", "TEXT"),
            col("business_profiles", "logo_url", "TEXT"),
            col("business_profiles", "document_urls", "JSONB", "'[]'::jsonb", true),
            col("business_profiles", "created_at", "TIMESTAMPTZ", "NOW()", true),
            col("business_profiles", "updated_at", "TIMESTAMPTZ", "NOW()", true),
            col("visibility_check_leads", "email", "TEXT"),
            col("visibility_check_leads", "business_name", "TEXT"),
            col("visibility_check_leads", "report_url", "TEXT"),
            col("visibility_check_leads", "screenshot_urls", "JSONB", "'[]'::jsonb", true),
            col("visibility_check_leads", "created_at", "TIMESTAMPTZ", "NOW()", true),
            col("visibility_check_leads", "updated_at", "TIMESTAMPTZ", "NOW()", true),
            col("user_uploads", "user_id", "UUID"),
            col("user_uploads", "partner_id", "UUID"),
            col("user_uploads", "filename", "TEXT"),
            col("user_uploads", "original_filename", "TEXT"),
            col("user_uploads", "s3_url", "TEXT"),
            col("user_uploads", "s3_bucket", "TEXT"),
            col("user_uploads", "s3_key", "TEXT"),
            col("user_uploads", "content_type", "TEXT"),
            col("user_uploads", "file_size", "BIGINT"),
            col("user_uploads", "upload_type", "TEXT"),
            col("user_uploads", "is_public", "BOOLEAN", "FALSE", true),
            col("user_uploads", "uploaded_at", "TIMESTAMPTZ", "NOW()", true),
            col("user_uploads", "expires_at", "TIMESTAMPTZ"),
            col("user_uploads", "metadata", "JSONB", "'{}'::jsonb", true),
            col("user_uploads", "created_at", "TIMESTAMPTZ", "NOW()", true),
            col("user_uploads", "updated_at", "TIMESTAMPTZ", "NOW()", true),
            col("s3_migration_log", "table_name", "TEXT"),
            col("s3_migration_log", "record_id", "UUID"),
            col("s3_migration_log", "old_url", "TEXT"),
            col("s3_migration_log", "new_s3_url", "TEXT"),
            col("s3_migration_log", "migration_status", "TEXT", "'pending'", true),
            col("s3_migration_log", "error_message", "TEXT"),
            col("s3_migration_log", "migrated_at", "TIMESTAMPTZ"),
            col("s3_migration_log", "created_at", "TIMESTAMPTZ", "NOW()", true),
            // seed 002 (MigrationLedger writes all of them)
            col("schema_migrations", "applied_at", "TIMESTAMP WITH TIME ZONE", "CURRENT_TIMESTAMP", false),
            col("schema_migrations", "execution_time_ms", "INTEGER"),
            col("schema_migrations", "checksum", "VARCHAR(64)"),
            col("schema_migrations", "rollback_sql", "TEXT"),
            col("schema_migrations", "script", "TEXT"),
            col("schema_migrations", "description", "TEXT"),
            // seed 003 (V3; documents are inserted without created_at/updated_at, which the defaults supply)
            required("connector_profiles", "profile_data", "JSONB", "'{}'::jsonb"),
            col("connector_profiles", "created_at", "TIMESTAMP WITH TIME ZONE", "NOW()", false),
            col("connector_profiles", "updated_at", "TIMESTAMP WITH TIME ZONE", "NOW()", false),
            required("client_configs", "config_data", "JSONB", "'{}'::jsonb"),
            col("client_configs", "created_at", "TIMESTAMP WITH TIME ZONE", "NOW()", false),
            col("client_configs", "updated_at", "TIMESTAMP WITH TIME ZONE", "NOW()", false),
            required("service_proposals", "proposal_data", "JSONB", "'{}'::jsonb"),
            col("service_proposals", "created_at", "TIMESTAMP WITH TIME ZONE", "NOW()", false),
            // seed 004 (V4; V7 inserts the 'legacy' tenant naming only id, name and metadata)
            required("tenants", "name", "VARCHAR(255)", "'tenant ' || id::text"),
            col("tenants", "provider_configs", "JSONB", "'{}'::jsonb", true),
            col("tenants", "is_active", "BOOLEAN", "TRUE", true),
            col("tenants", "metadata", "JSONB"),
            col("tenants", "created_at", "TIMESTAMPTZ", "NOW()", true),
            col("tenants", "updated_at", "TIMESTAMPTZ", "NOW()", true),
            col("action_logs", "tenant_id", "UUID"),
            col("action_logs", "action_type", "action_type_enum"),
            col("action_logs", "provider_name", "VARCHAR(100)"),
            col("action_logs", "request_payload", "JSONB", "'{}'::jsonb", true),
            col("action_logs", "response_data", "JSONB"),
            col("action_logs", "status", "action_status_enum"),
            col("action_logs", "error_message", "TEXT"),
            col("action_logs", "execution_time_ms", "INTEGER"),
            col("action_logs", "metadata", "JSONB"),
            col("action_logs", "created_at", "TIMESTAMPTZ", "NOW()", true),
            col("action_logs", "updated_at", "TIMESTAMPTZ", "NOW()", true),
            col("audit_logs", "tenant_id", "UUID"),
            col("audit_logs", "user_id", "VARCHAR(255)"),
            col("audit_logs", "action", "VARCHAR(100)"),
            col("audit_logs", "resource_type", "VARCHAR(100)"),
            col("audit_logs", "resource_id", "VARCHAR(255)"),
            col("audit_logs", "changes", "JSONB"),
            col("audit_logs", "ip_address", "VARCHAR(45)"),
            col("audit_logs", "user_agent", "TEXT"),
            col("audit_logs", "metadata", "JSONB"),
            col("audit_logs", "created_at", "TIMESTAMPTZ", "NOW()", true),
            col("audit_logs", "updated_at", "TIMESTAMPTZ", "NOW()", true));

    /** Enum types the seeds made, with the values V1 and V4 create them with (an adopted type may have fewer). */
    static final Map<String, List<String>> ENUMS = Map.of(
            "file_source", List.of("s3", "ext"),
            "action_status_enum", List.of("pending", "success", "failure", "timeout", "retry"),
            "action_type_enum", List.of("crm_create", "crm_update", "crm_delete", "crm_get", "crm_list", "crm_search",
                    "helpdesk_create_ticket", "helpdesk_update_ticket", "helpdesk_get_ticket", "helpdesk_list_tickets",
                    "helpdesk_add_comment", "calendar_create_event", "calendar_update_event", "calendar_delete_event",
                    "calendar_get_event", "calendar_list_events", "email_send", "email_get", "email_list", "email_search",
                    "knowledge_store", "knowledge_search", "knowledge_get", "knowledge_delete"));

    private static Column col(String table, String name, String type) {
        return new Column(table, name, type, null, false, null);
    }

    private static Column col(String table, String name, String type, String defaultValue, boolean notNull) {
        return new Column(table, name, type, defaultValue, notNull, null);
    }

    private static Column required(String table, String name, String type, String backfill) {
        return new Column(table, name, type, null, true, backfill);
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            List<String> changes = adopt(context.getConnection());
            if (!changes.isEmpty()) {
                LOG.infof("Adopted existing tables for Wharf's migrations: %s", String.join("; ", changes));
            }
        } catch (SQLException e) {
            throw new FlywayException("adopting existing tables before migrating: " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "wharf-adopted-tables";
    }

    /** Brings the existing seed tables and types up to what the scripts expect; returns what it changed. */
    static List<String> adopt(Connection c) throws SQLException {
        Set<String> tables = new HashSet<>();
        Map<String, String> defaults = new HashMap<>(); // "table.column" -> column_default (null value: none)
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name, column_name, column_default FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", COLUMNS.stream().map(Column::table).distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                    defaults.put(rs.getString(1) + "." + rs.getString(2), rs.getString(3));
                }
            }
        }
        List<String> sql = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (Column col : COLUMNS) {
            if (!tables.contains(col.table())) {
                continue; // a script creates it whole
            }
            String key = col.table() + "." + col.name();
            if (!defaults.containsKey(key)) {
                sql.addAll(addColumn(col));
                changes.add("added " + key);
            } else if (col.defaultValue() != null && defaults.get(key) == null) {
                sql.add("ALTER TABLE " + col.table() + " ALTER COLUMN " + col.name() + " SET DEFAULT " + col.defaultValue());
                changes.add("default for " + key);
            }
        }
        Map<String, Set<String>> labels = enumLabels(c);
        ENUMS.forEach((type, values) -> {
            Set<String> have = labels.get(type);
            if (have != null) { // a script creates a missing type whole
                values.stream().filter(v -> !have.contains(v)).forEach(v -> {
                    sql.add("ALTER TYPE " + type + " ADD VALUE IF NOT EXISTS '" + v + "'");
                    changes.add("value " + type + "." + v);
                });
            }
        });
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
        return changes;
    }

    private static List<String> addColumn(Column col) {
        String add = "ALTER TABLE " + col.table() + " ADD COLUMN IF NOT EXISTS " + col.name() + " " + col.type();
        if (col.defaultValue() != null) {
            // a constant default fills the existing rows as the column is added
            return List.of(add + " DEFAULT " + col.defaultValue() + (col.notNull() ? " NOT NULL" : ""));
        }
        if (col.backfill() != null) {
            return List.of(add,
                    "UPDATE " + col.table() + " SET " + col.name() + " = " + col.backfill() + " WHERE " + col.name() + " IS NULL",
                    "ALTER TABLE " + col.table() + " ALTER COLUMN " + col.name() + " SET NOT NULL");
        }
        return List.of(add);
    }

    private static Map<String, Set<String>> enumLabels(Connection c) throws SQLException {
        Map<String, Set<String>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT t.typname, e.enumlabel FROM pg_type t "
                + "JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_enum e ON e.enumtypid = t.oid "
                + "WHERE n.nspname = current_schema() AND t.typname = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", ENUMS.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Set<String> values = out.computeIfAbsent(rs.getString(1), k -> new LinkedHashSet<>());
                    if (rs.getString(2) != null) {
                        values.add(rs.getString(2));
                    }
                }
            }
        }
        return out;
    }
}
