package io.wharf.common.db;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.LockAcquisitionException;

/**
 * The one place that decides which database failures are transient, by SQLSTATE (PostgreSQL appendix A). Each
 * caller asks its own question, because they act differently on the answer:
 * <ul>
 * <li>{@link #connectionLost}: a connection that was open and no longer is, so the pool's other idle connections
 * are suspect too (the error mapper's pool sweep);</li>
 * <li>{@link #databaseUnreachable}: the database cannot be reached at all, answered 503 with Retry-After;</li>
 * <li>{@link #sessionBroken}: the session a lock was held on is gone, so the lock went with it (schema migration);</li>
 * <li>{@link #worthRetrying}: the same work may succeed later (the migration's recording of outcomes).</li>
 * </ul>
 */
public final class SqlFailures {

    /** Class 08, connection exception: could not connect (08001, 08004) or the link broke (08003, 08006). */
    private static final String CONNECTION_EXCEPTION = "08";
    /** Class 57P, operator intervention: admin_shutdown 57P01, crash_shutdown 57P02, cannot_connect_now 57P03, ... */
    private static final String OPERATOR_INTERVENTION = "57P";
    /** Class 40, transaction rollback: serialization failure 40001, deadlock 40P01, ... */
    private static final String TRANSACTION_ROLLBACK = "40";
    /** lock_not_available (a lock_timeout ran out). */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** query_canceled (a statement_timeout ran out). */
    private static final String QUERY_CANCELED = "57014";

    /** Link broken or backend gone; not a connection that could not be opened (08001, 57P03). */
    private static final Set<String> LOST = Set.of("08003", "08006", "57P01", "57P02");
    /** Backend shut down or not accepting connections yet. */
    private static final Set<String> SHUT_DOWN = Set.of("57P01", "57P02", "57P03");

    private static final int MAX_CAUSES = 20;

    private SqlFailures() {
    }

    /**
     * A connection that was open and no longer is. Not a connection that could not be opened, nor a pool that
     * cannot hand one out: they say nothing about the connections the pool holds.
     */
    public static boolean connectionLost(Throwable e) {
        return anySqlState(e, LOST::contains);
    }

    /** The database out of reach (refused or dropped connections, a shutdown, a pool that cannot hand out a connection). */
    public static boolean databaseUnreachable(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < MAX_CAUSES; t = next(t), depth++) {
            if (t instanceof JDBCConnectionException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith(CONNECTION_EXCEPTION) || SHUT_DOWN.contains(state))) {
                    return true;
                }
                String message = sql.getMessage() == null ? "" : sql.getMessage().toLowerCase(Locale.ROOT);
                if (message.contains("acquisition timeout")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** This exception (not its causes) ended its session: a connection exception or an operator intervention. */
    public static boolean sessionBroken(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith(CONNECTION_EXCEPTION) || state.startsWith(OPERATOR_INTERVENTION));
    }

    /** Deadlocks, serialization failures, lock and statement timeouts and lost connections: the work may succeed later. */
    public static boolean worthRetrying(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < MAX_CAUSES; t = next(t), depth++) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith(CONNECTION_EXCEPTION) || state.startsWith(TRANSACTION_ROLLBACK) || state.equals(LOCK_NOT_AVAILABLE)
                        || state.equals(QUERY_CANCELED) || state.startsWith(OPERATOR_INTERVENTION)) {
                    return true;
                }
            }
            if (t instanceof JDBCConnectionException || t instanceof LockAcquisitionException) {
                return true;
            }
        }
        return false;
    }

    private static boolean anySqlState(Throwable e, Predicate<String> matches) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < MAX_CAUSES; t = next(t), depth++) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && matches.test(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static Throwable next(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }
}
