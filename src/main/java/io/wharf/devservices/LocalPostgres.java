package io.wharf.devservices;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates and drops databases on a local PostgreSQL server, so that dev mode and tests need no manual
 * {@code createdb}. Works on the maintenance database {@code postgres} of the server a JDBC URL names.
 */
public final class LocalPostgres {

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/]+)/([^?]+)(\\?.*)?");
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String serverUrl;
    private final String user;
    private final String password;

    public LocalPostgres(String host, int port, String user, String password) {
        this.serverUrl = "jdbc:postgresql://" + host + ":" + port + "/";
        this.user = user;
        this.password = password;
    }

    /** The server of a {@code jdbc:postgresql://host:port/db} URL. */
    public static LocalPostgres forJdbcUrl(String jdbcUrl, String user, String password) {
        Matcher m = JDBC_URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        String hostPort = m.group(1);
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        int port = colon < 0 ? 5432 : Integer.parseInt(hostPort.substring(colon + 1));
        return new LocalPostgres(host, port, user, password);
    }

    public static String databaseName(String jdbcUrl) {
        Matcher m = JDBC_URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        return m.group(2);
    }

    public String jdbcUrl(String database) {
        return serverUrl + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    /** Creates the database unless it exists; returns true when it was created. */
    public boolean createIfMissing(String database) {
        requireSafe(database);
        try (Connection c = connect("postgres")) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE \"" + database + "\"");
                return true;
            } catch (SQLException e) {
                if ("42P04".equals(e.getSQLState())) { // created meanwhile by a concurrent start
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + serverUrl + " is not reachable as user '" + user
                    + "' (" + e.getMessage() + "). Start it, or set WHARF_DB_HOST/WHARF_DB_PORT/WHARF_DB_USER/WHARF_DB_PASSWORD.", e);
        }
    }

    public void drop(String database) {
        requireSafe(database);
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop database " + database + ": " + e.getMessage(), e);
        }
    }

    private static void requireSafe(String database) {
        if (!SAFE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Refusing unusual database name: " + database);
        }
    }
}
