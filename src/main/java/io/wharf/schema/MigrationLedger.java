package io.wharf.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;
import org.jboss.logging.Logger;

/**
 * Keeps seed 002's {@code schema_migrations} ledger beside Flyway's own history: a SHA-256 of every
 * applied script (Flyway's CRC32 ignores line endings and can collide), its execution time and the
 * rollback script that undoes it. The table and its rows are written in the migration's own
 * transaction, so a failed migration leaves no ledger row. Before Flyway validates, every applied script is hashed again and
 * start-up is refused when one was edited after it ran.
 */
public class MigrationLedger implements Callback {

    static final String TABLE_DDL = """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version VARCHAR(255) PRIMARY KEY,
                applied_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
                execution_time_ms INTEGER,
                checksum VARCHAR(64),
                rollback_sql TEXT,
                script TEXT,
                description TEXT
            )""";
    private static final String ROLLBACK_LOCATION = "db/rollback";

    private static final Logger LOG = Logger.getLogger(MigrationLedger.class);

    private long runStartedAt;
    private long startedAt;
    private int applied;
    private boolean tableReady;

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_VALIDATE || event == Event.BEFORE_MIGRATE || event == Event.BEFORE_EACH_MIGRATE
                || event == Event.AFTER_EACH_MIGRATE || event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            switch (event) {
                case BEFORE_VALIDATE -> {
                    runStartedAt = System.nanoTime();
                    tableReady = tableExists(context.getConnection());
                    // seed 002's own ledger, adopted, lacks the script column until AdoptedTables adds it: nothing to verify yet
                    if (tableReady && scriptColumnExists(context.getConnection())) {
                        verifyChecksums(context);
                    }
                }
                case BEFORE_MIGRATE -> {
                    if (runStartedAt == 0) {
                        runStartedAt = System.nanoTime();
                    }
                    applied = 0;
                }
                case AFTER_MIGRATE -> {
                    LOG.infof("Schema migration finished in %.1f ms: %d migration(s) applied",
                            (System.nanoTime() - runStartedAt) / 1e6, applied);
                    runStartedAt = 0;
                }
                case BEFORE_EACH_MIGRATE -> startedAt = System.nanoTime();
                case AFTER_EACH_MIGRATE -> record(context);
                default -> {
                }
            }
        } catch (SQLException e) {
            throw new FlywayException("schema_migrations ledger: " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "wharf-schema-migrations-ledger";
    }

    /** Runs inside the migration's transaction, under Flyway's lock, so concurrent starts cannot race here. */
    private void ensureTable(Connection c) throws SQLException {
        if (!tableReady) {
            try (Statement st = c.createStatement()) {
                st.execute(TABLE_DDL);
            }
            tableReady = true;
        }
    }

    private static boolean tableExists(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('schema_migrations') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static boolean scriptColumnExists(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                     + "AND table_name = 'schema_migrations' AND column_name = 'script'")) {
            return rs.next();
        }
    }

    private static void verifyChecksums(Context context) throws SQLException {
        Configuration conf = context.getConfiguration();
        try (Statement st = context.getConnection().createStatement();
             ResultSet rs = st
                     .executeQuery("SELECT version, script, checksum FROM schema_migrations WHERE checksum IS NOT NULL AND script IS NOT NULL")) {
            while (rs.next()) {
                String script = rs.getString("script");
                Optional<byte[]> current = readScript(conf, script);
                if (current.isEmpty()) {
                    continue; // Flyway's validation reports migrations that went missing
                }
                String now = sha256(current.get());
                if (!now.equalsIgnoreCase(rs.getString("checksum"))) {
                    throw new FlywayException("Migration " + script + " (version " + rs.getString("version")
                            + ") was changed after it was applied: its SHA-256 is now " + now + " but "
                            + rs.getString("checksum") + " was recorded in schema_migrations. Applied migrations must "
                            + "never be edited: restore the script and add a new migration for the change.");
                }
            }
        }
    }

    private void record(Context context) throws SQLException {
        MigrationInfo info = context.getMigrationInfo();
        if (info == null || info.getVersion() == null || info.getScript() == null) {
            return;
        }
        long elapsedMs = (System.nanoTime() - startedAt) / 1_000_000;
        ensureTable(context.getConnection());
        Configuration conf = context.getConfiguration();
        String checksum = readScript(conf, info.getScript()).map(MigrationLedger::sha256).orElse(null);
        String rollback = rollbackSql(info.getScript()).orElse(null);
        try (PreparedStatement ps = context.getConnection().prepareStatement("""
                INSERT INTO schema_migrations (version, applied_at, execution_time_ms, checksum, rollback_sql, script, description)
                VALUES (?, CURRENT_TIMESTAMP, ?, ?, ?, ?, ?)
                ON CONFLICT (version) DO UPDATE SET applied_at = EXCLUDED.applied_at,
                    execution_time_ms = EXCLUDED.execution_time_ms, checksum = EXCLUDED.checksum,
                    rollback_sql = EXCLUDED.rollback_sql, script = EXCLUDED.script, description = EXCLUDED.description""")) {
            ps.setString(1, info.getVersion().getVersion());
            ps.setInt(2, (int) Math.min(Integer.MAX_VALUE, elapsedMs));
            ps.setString(3, checksum);
            ps.setString(4, rollback);
            ps.setString(5, relativeScript(conf, info.getScript()));
            ps.setString(6, info.getDescription());
            ps.executeUpdate();
        }
        applied++;
    }

    /** The bytes of a migration script as they are now, from the first configured location that has it. */
    static Optional<byte[]> readScript(Configuration conf, String script) {
        for (Location location : conf.getLocations()) {
            if (location.isClassPath() && script.startsWith(location.getRootPath() + "/")) {
                return readClasspath(script); // Quarkus' pre-scanned resources carry the location in their name
            }
            Optional<byte[]> bytes = location.isFileSystem()
                    ? readFile(Path.of(location.getRootPath(), script))
                    : readClasspath(location.getRootPath() + "/" + script);
            if (bytes.isPresent()) {
                return bytes;
            }
        }
        return Optional.empty();
    }

    /** The script's path inside its location, whether Flyway reports it with the location (Quarkus) or without. */
    static String relativeScript(Configuration conf, String script) {
        for (Location location : conf.getLocations()) {
            String prefix = location.getRootPath() + "/";
            if (script.startsWith(prefix)) {
                return script.substring(prefix.length());
            }
        }
        return script;
    }

    /** {@code V3__x.sql} is undone by {@code db/rollback/U3__x.sql}. */
    static Optional<String> rollbackSql(String script) {
        String name = Path.of(script).getFileName().toString();
        if (!name.startsWith("V")) {
            return Optional.empty();
        }
        return readClasspath(ROLLBACK_LOCATION + "/U" + name.substring(1))
                .map(b -> new String(b, StandardCharsets.UTF_8));
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<byte[]> readClasspath(String path) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = MigrationLedger.class.getClassLoader();
        }
        try (InputStream in = cl.getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new FlywayException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static Optional<byte[]> readFile(Path path) {
        try {
            return Files.isRegularFile(path) ? Optional.of(Files.readAllBytes(path)) : Optional.empty();
        } catch (IOException e) {
            throw new FlywayException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
