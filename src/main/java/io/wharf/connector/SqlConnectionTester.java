package io.wharf.connector;

import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import javax.net.ssl.SSLException;

import org.jboss.logging.Logger;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

import io.wharf.common.net.OutboundAddressPolicy;
import io.wharf.common.net.OutboundConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Opens a PostgreSQL connection described by a JDBC URL, a postgresql:// URI or a libpq key=value
 * string and runs SELECT 1. The driver gets a URL made only of the vetted IP literal and port, and
 * every other setting as a typed property chosen here: a tenant's text never becomes part of a URL,
 * so it cannot add driver parameters (another host, socket factories, key files, no timeouts). The
 * password is always set, even empty, so the driver never falls back to this machine's .pgpass.
 */
@ApplicationScoped
public class SqlConnectionTester {

    private static final boolean DEADLINE_SOCKETS = driverSeesDeadlineSockets();

    private final OutboundAddressPolicy policy;
    private final int timeoutSeconds;

    SqlConnectionTester(OutboundAddressPolicy policy, OutboundConfig config) {
        this.policy = policy;
        this.timeoutSeconds = config.timeoutSeconds();
    }

    public ConnectionTestResult test(UUID tenant, String connectionString, Map<String, Object> credentials) {
        long started = System.nanoTime();
        long deadline = started + timeoutSeconds * 1_000_000_000L;
        SqlConnectionString.Target t;
        try {
            t = SqlConnectionString.parse(connectionString, credentials);
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
            address = policy.resolve(t.host(), tenant, deadline);
        } catch (OutboundAddressPolicy.TimedOut e) {
            return ConnectionTestResult.of(ConnectionTestResult.TIMEOUT, e.getMessage(), started, "postgresql", where);
        } catch (OutboundAddressPolicy.Refused e) {
            return ConnectionTestResult.of(ConnectionTestResult.FAILED, "refused: " + e.getMessage(), started, "postgresql", where);
        }
        String ip = address.getHostAddress().replaceFirst("%.*$", "");
        Properties props = new Properties();
        PGProperty.PG_HOST.set(props, ip);
        PGProperty.PG_PORT.set(props, t.port());
        PGProperty.PG_DBNAME.set(props, t.database());
        PGProperty.USER.set(props, t.user());
        PGProperty.PASSWORD.set(props, t.password() == null ? "" : t.password());
        PGProperty.CONNECT_TIMEOUT.set(props, timeoutSeconds);
        PGProperty.SOCKET_TIMEOUT.set(props, timeoutSeconds);
        if (DEADLINE_SOCKETS) {
            // 0: the driver connects on this thread, and DeadlineSocketFactory closes its socket at the deadline;
            // with a login timeout it would connect on a thread of its own that it leaves running
            PGProperty.LOGIN_TIMEOUT.set(props, 0);
            PGProperty.SOCKET_FACTORY.set(props, DeadlineSocketFactory.class.getName());
            PGProperty.SOCKET_FACTORY_ARG.set(props, DeadlineSocketFactory.arg(deadline));
        } else {
            PGProperty.LOGIN_TIMEOUT.set(props, timeoutSeconds);
        }
        PGProperty.MAX_RESULT_BUFFER.set(props, "64k");
        // never offer this machine's Kerberos credentials to the tenant's server
        PGProperty.GSS_ENC_MODE.set(props, "disable");
        PGProperty.JAAS_LOGIN.set(props, false);
        PGProperty.APPLICATION_NAME.set(props, "wharf-connection-test");
        if (t.sslmode() != null) {
            PGProperty.SSL_MODE.set(props, t.sslmode());
        }
        // empty, not absent: the driver would otherwise offer this machine's ~/.postgresql client key to the tenant's server
        PGProperty.SSL_CERT.set(props, "");
        PGProperty.SSL_KEY.set(props, "");
        String url = "jdbc:postgresql://" + (address instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + t.port() + "/";
        try (Connection c = new Driver().connect(url, props); Statement st = c.createStatement()) {
            st.setQueryTimeout(timeoutSeconds);
            st.execute("SELECT 1");
            return ConnectionTestResult.of(ConnectionTestResult.SUCCESS, "connected to " + t.host() + ":" + t.port() + "/" + t.database()
                    + " and ran SELECT 1", started, "postgresql", where);
        } catch (SQLException e) {
            boolean timedOut = System.nanoTime() - deadline >= 0 || hasCause(e, SocketTimeoutException.class)
                    || "08001".equals(e.getSQLState()) && e.getMessage() != null
                            && e.getMessage().toLowerCase().contains("timed out");
            return ConnectionTestResult.of(timedOut ? ConnectionTestResult.TIMEOUT : ConnectionTestResult.FAILED, timedOut
                    ? "no complete answer from " + t.host() + ":" + t.port() + " within " + timeoutSeconds + " s" : describe(e, t), started,
                    "postgresql", where);
        } catch (RuntimeException e) {
            // the driver's own surprises are the tenant's failed test, never a server error
            return ConnectionTestResult.of(ConnectionTestResult.FAILED, "connection failed (" + e.getClass().getSimpleName() + ")", started,
                    "postgresql", where);
        }
    }

    /**
     * pgjdbc finds the socket factory by name through its own class loader only. Packaged and in tests
     * that loader sees Wharf's classes; in dev mode Quarkus loads JDBC drivers parent-first, where it does
     * not, and the driver's login timeout has to do.
     */
    private static boolean driverSeesDeadlineSockets() {
        try {
            Class.forName(DeadlineSocketFactory.class.getName(), false, Driver.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            Logger.getLogger(SqlConnectionTester.class).warn("The PostgreSQL driver cannot load " + DeadlineSocketFactory.class.getName()
                    + " (dev mode loads it parent-first): SQL connection tests are bounded by the driver's login timeout only");
            return false;
        }
    }

    /**
     * The tenant can only reach the host it named (after the address check), so saying whether that
     * host refused, timed out or rejected the login helps the tenant without exposing anything else;
     * the driver's own text is left out because it may name this side's addresses.
     */
    private static String describe(SQLException e, SqlConnectionString.Target t) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "28P01", "28000" -> "the server rejected the credentials of user '" + t.user() + "'";
            case "3D000" -> "database '" + t.database() + "' does not exist on " + t.host() + ":" + t.port();
            case "08001", "08004", "08006" -> "could not connect to " + t.host() + ":" + t.port() + " (" + cause(e) + ")";
            default -> "connection failed" + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")");
        };
    }

    private static String cause(SQLException e) {
        if (hasCause(e, SocketTimeoutException.class)) {
            return "timed out";
        }
        if (hasCause(e, ConnectException.class)) {
            return "connection refused";
        }
        if (hasCause(e, SSLException.class)) {
            return "TLS failed";
        }
        return "no PostgreSQL answer";
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
