package io.wharf.bench.migrations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * bench/migrations: applying every migration to an empty database with Flyway's tracking and Wharf's
 * ledger, against psql applying the same scripts bare, and the re-run of each (a no-op for Wharf, the
 * whole idempotent script set again for psql). Wharf's side is the packaged application starting up,
 * timed by its own migration log line (start-up of the JVM itself is not migration work); psql's side
 * includes its process start. Each round gets fresh databases; medians are reported.
 *
 * <p>
 * Usage (from the repository's root, after ./mvnw package): MigrationBench [rounds, default 7]. The server
 * is WHARF_DB_HOST, WHARF_DB_PORT, WHARF_DB_USER and WHARF_DB_PASSWORD (default localhost:5432,
 * postgres/postgres).
 */
public final class MigrationBench {

    private static final Pattern LOG_LINE = Pattern.compile("Schema migration finished in ([0-9.]+) ms: (\\d+) migration");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        List<Path> scripts;
        try (Stream<Path> s = Files.list(Path.of("src/main/resources/db/migration"))) {
            scripts = s.filter(p -> p.toString().endsWith(".sql"))
                    .sorted((a, b) -> Integer.compare(version(a), version(b))).toList();
        }
        Server server = Server.fromEnvironment();
        List<Double> wharf = new ArrayList<>();
        List<Double> sqlOnly = new ArrayList<>();
        List<Double> wharfNoop = new ArrayList<>();
        List<Double> psql = new ArrayList<>();
        List<Double> psqlRerun = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) { // round 0 warms the JVM and is not counted
            String db = server.create();
            try {
                double first = appMigration(server, db, scripts.size());
                double noop = appMigration(server, db, 0);
                if (round > 0) {
                    wharf.add(first);
                    wharfNoop.add(noop);
                    // the ledger times each script from Flyway's before- to after-each callback: the SQL alone
                    sqlOnly.add(server.scalar(db, "SELECT sum(execution_time_ms) FROM schema_migrations"));
                }
            } finally {
                server.drop(db);
            }
            db = server.create();
            try {
                String name = db;
                double first = time(() -> psql(server, name, scripts));
                double again = time(() -> psql(server, name, scripts));
                if (round > 0) {
                    psql.add(first);
                    psqlRerun.add(again);
                }
            } finally {
                server.drop(db);
            }
        }
        double w = median(wharf);
        double p = median(psql);
        double wn = median(wharfNoop);
        double pr = median(psqlRerun);
        System.out.printf("%d migrations, %d rounds, medians%n", scripts.size(), rounds);
        System.out.printf("apply all:  wharf (Flyway + ledger, in the packaged app) %.1f ms, psql bare %.1f ms%n", w, p);
        System.out.printf("re-run:     wharf (no-op) %.1f ms, psql (scripts again) %.1f ms%n", wn, pr);
        double sql = median(sqlOnly);
        System.out.printf("of wharf's apply: %.1f ms executing the scripts' SQL, %.1f ms Flyway history table, validation, "
                + "locking and ledger (cold JVM at start-up)%n", sql, w - sql);
        System.out.printf("tracking overhead per migration: %.1f ms against psql (seed 002 bound: 100 ms; target: < 5 ms)%n",
                Math.max(0, w - p) / scripts.size());
        System.out.printf("RESULT migrate_all wharf=%.1f peer=%.1f ratio=%.2f unit=ms%n", w, p, p / w);
        System.out.printf("RESULT rerun wharf=%.1f peer=%.1f ratio=%.2f unit=ms%n", wn, pr, pr / wn);
    }

    /** Starts the packaged application on the database and returns the migration time it logged. */
    private static double appMigration(Server server, String db, int expectApplied) throws Exception {
        String output = App.migrate(server.jdbcUrl(db), server.user, server.password);
        Matcher m = LOG_LINE.matcher(output);
        if (!m.find() || Integer.parseInt(m.group(2)) != expectApplied) {
            throw new IllegalStateException("expected " + expectApplied + " migrations applied:\n" + output);
        }
        return Double.parseDouble(m.group(1));
    }

    private static void psql(Server server, String db, List<Path> scripts) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-d", server.jdbcUrl(db).replace("jdbc:", ""), "-U", server.user));
        scripts.forEach(s -> cmd.addAll(List.of("-f", s.toString())));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", server.password);
        pb.environment().put("PGOPTIONS", "-c client_min_messages=warning");
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes());
        if (proc.waitFor() != 0) {
            throw new IllegalStateException("psql failed: " + out);
        }
    }

    private static int version(Path p) {
        String name = p.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double time(Work w) throws Exception {
        long t = System.nanoTime();
        w.run();
        return (System.nanoTime() - t) / 1e6;
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /** The local PostgreSQL server the tests use too, and throwaway databases on it. */
    private record Server(String host, int port, String user, String password) {

        static Server fromEnvironment() {
            return new Server(env("WHARF_DB_HOST", "localhost"), Integer.parseInt(env("WHARF_DB_PORT", "5432")),
                    env("WHARF_DB_USER", "postgres"), env("WHARF_DB_PASSWORD", "postgres"));
        }

        String jdbcUrl(String db) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + db;
        }

        String create() throws SQLException {
            String db = "wharf_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
            execute("postgres", "CREATE DATABASE \"" + db + "\"");
            return db;
        }

        void drop(String db) throws SQLException {
            execute("postgres", "DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
        }

        double scalar(String db, String sql) throws SQLException {
            try (Connection c = DriverManager.getConnection(jdbcUrl(db), user, password);
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getDouble(1);
            }
        }

        private void execute(String db, String sql) throws SQLException {
            try (Connection c = DriverManager.getConnection(jdbcUrl(db), user, password); Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }

        private static String env(String name, String fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : v;
        }
    }

    private MigrationBench() {
    }
}
