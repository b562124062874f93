package io.wharf.testing;

import java.util.Locale;
import java.util.UUID;

import org.postgresql.ds.PGSimpleDataSource;

import io.wharf.devservices.LocalPostgres;

/** Throwaway databases on the local PostgreSQL server, for tests that need one of their own. */
public final class TestDatabases {

    private TestDatabases() {
    }

    public static LocalPostgres server() {
        return new LocalPostgres(env("WHARF_DB_HOST", "localhost"), Integer.parseInt(env("WHARF_DB_PORT", "5432")),
                env("WHARF_DB_USER", "postgres"), env("WHARF_DB_PASSWORD", "postgres"));
    }

    public static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    }

    /** Creates an empty database and returns it; close it to drop it. */
    public static Db create(String prefix) {
        LocalPostgres server = server();
        String name = uniqueName(prefix);
        server.createIfMissing(name);
        return new Db(server, name);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public record Db(LocalPostgres server, String name) implements AutoCloseable {

        public String jdbcUrl() {
            return server.jdbcUrl(name);
        }

        public PGSimpleDataSource dataSource() {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(jdbcUrl());
            ds.setUser(server.user());
            ds.setPassword(server.password());
            return ds;
        }

        @Override
        public void close() {
            server.drop(name);
        }
    }
}
