package io.wharf.connector;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.wharf.common.WharfConfig;
import io.wharf.common.net.OutboundAddressPolicy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Opens a PostgreSQL connection from a JDBC URL, a postgresql:// URI or a libpq key=value string and
 * runs SELECT 1. Only sslmode is taken from the tenant's parameters: the driver's other options
 * (socket factories, logger files...) would let a connection string run code or write files here.
 */
@ApplicationScoped
public class SqlConnectionTester {

    record Target(String host, int port, String database, String user, String password, String sslmode) {
    }

    private final OutboundAddressPolicy policy;
    private final int timeoutSeconds;

    SqlConnectionTester(OutboundAddressPolicy policy, WharfConfig config) {
        this.policy = policy;
        this.timeoutSeconds = config.outbound().timeoutSeconds();
    }

    public ConnectionTestResult test(String connectionString, Map<String, Object> credentials) {
        long started = System.nanoTime();
        Target t;
        try {
            t = parse(connectionString, credentials);
        } catch (IllegalArgumentException e) {
            return ConnectionTestResult.of(ConnectionTestResult.FAILED, e.getMessage(), started, "postgresql", Map.of());
        }
        Map<String, Object> where = new LinkedHashMap<>();
        where.put("host", t.host());
        where.put("port", t.port());
        where.put("database", t.database());
        where.put("user", t.user());
        InetAddress address;
        try {
            address = policy.resolve(t.host());
        } catch (OutboundAddressPolicy.Refused e) {
            return ConnectionTestResult.of(ConnectionTestResult.FAILED, "refused: " + e.getMessage(), started, "postgresql", where);
        }
        String ip = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        var props = new java.util.Properties();
        if (t.user() != null) {
            props.setProperty("user", t.user());
        }
        if (t.password() != null) {
            props.setProperty("password", t.password());
        }
        props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("socketTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("ApplicationName", "wharf-connection-test");
        if (t.sslmode() != null) {
            props.setProperty("sslmode", t.sslmode());
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + ip + ":" + t.port() + "/" + t.database(), props);
             Statement st = c.createStatement()) {
            st.setQueryTimeout(timeoutSeconds);
            st.execute("SELECT 1");
            return ConnectionTestResult.of(ConnectionTestResult.SUCCESS, "connected to " + t.host() + ":" + t.port() + "/" + t.database()
                    + " and ran SELECT 1", started, "postgresql", where);
        } catch (SQLException e) {
            boolean timedOut = hasCause(e, SocketTimeoutException.class) || "08001".equals(e.getSQLState()) && e.getMessage() != null
                    && e.getMessage().toLowerCase().contains("timed out");
            return ConnectionTestResult.of(timedOut ? ConnectionTestResult.TIMEOUT : ConnectionTestResult.FAILED, describe(e, t), started,
                    "postgresql", where);
        }
    }

    static Target parse(String cs, Map<String, Object> credentials) {
        if (cs == null || cs.isBlank()) {
            throw new IllegalArgumentException("the profile has no connection_string");
        }
        String s = cs.trim();
        Map<String, String> kv = new HashMap<>();
        String host;
        Integer port = null;
        String database;
        if (s.startsWith("jdbc:postgresql://") || s.startsWith("postgresql://") || s.startsWith("postgres://")) {
            URI uri = URI.create(s.startsWith("jdbc:") ? s.substring(5) : s);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("the connection string names no host (several hosts are not supported)");
            }
            host = uri.getHost();
            port = uri.getPort() > 0 ? uri.getPort() : null;
            database = uri.getPath() == null || uri.getPath().length() <= 1 ? null : uri.getPath().substring(1);
            if (uri.getRawUserInfo() != null) {
                String[] up = uri.getRawUserInfo().split(":", 2);
                kv.put("user", decode(up[0]));
                if (up.length > 1) {
                    kv.put("password", decode(up[1]));
                }
            }
            if (uri.getRawQuery() != null) {
                for (String p : uri.getRawQuery().split("&")) {
                    String[] pair = p.split("=", 2);
                    kv.putIfAbsent(decode(pair[0]), pair.length > 1 ? decode(pair[1]) : "");
                }
            }
        } else if (s.matches("([A-Za-z_]+\\s*=\\s*\\S+\\s*)+") && !s.contains(";")) {
            for (String pair : s.split("\\s+")) {
                String[] p = pair.split("=", 2);
                kv.put(p[0].trim().toLowerCase(), p[1].trim());
            }
            host = kv.get("host");
            port = kv.containsKey("port") ? Integer.valueOf(kv.get("port")) : null;
            database = kv.get("dbname");
        } else if (s.contains(";") && s.contains("=")) {
            throw new IllegalArgumentException("this looks like a SQL Server (ADO.NET) connection string; only PostgreSQL connections "
                    + "can be tested (jdbc:postgresql://, postgresql:// or host=... dbname=...)");
        } else {
            throw new IllegalArgumentException("unrecognised connection string; use jdbc:postgresql://host:port/db, "
                    + "postgresql://user@host/db or 'host=... dbname=...'");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the connection string names no host");
        }
        String user = credential(credentials, "username", kv.get("user"));
        String password = credential(credentials, "password", kv.get("password"));
        return new Target(host, port == null ? 5432 : port, database == null ? (user == null ? "postgres" : user) : database, user,
                password, kv.get("sslmode"));
    }

    private static String credential(Map<String, Object> credentials, String name, String fallback) {
        Object v = credentials == null ? null : credentials.get(name);
        return v == null ? fallback : v.toString();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String describe(SQLException e, Target t) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "28P01", "28000" -> "the server rejected the credentials of user '" + t.user() + "'";
            case "3D000" -> "database '" + t.database() + "' does not exist on " + t.host() + ":" + t.port();
            case "08001", "08004", "08006" -> "could not connect to " + t.host() + ":" + t.port() + " (" + firstLine(e.getMessage()) + ")";
            default -> "connection failed: " + firstLine(e.getMessage()) + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")");
        };
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
