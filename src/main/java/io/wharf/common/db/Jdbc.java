package io.wharf.common.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.hibernate.Session;

import io.wharf.common.db.Statements.Binder;
import io.wharf.common.db.Statements.ItemBinder;
import io.wharf.common.db.Statements.RowMapper;
import io.wharf.common.db.Statements.Work;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

/**
 * The one way plain SQL reaches the database (Panache keeps entity CRUD). Three kinds of connection:
 * <ul>
 * <li>{@code query}, {@code queryOne}, {@code update}, {@code batch}, {@link #withConnection}: a pooled connection
 * of the datasource for the call. Inside a JTA transaction the pool hands out that transaction's connection;
 * outside one it is in autocommit, so each statement commits on its own.</li>
 * <li>{@link #current()}: the connection of the caller's transaction through the Hibernate session, so that the
 * statements commit or roll back with the entities and audit rows written beside them. Hibernate translates an
 * SQLException there into its JDBCException.</li>
 * <li>{@link #inTransaction}: a transaction of its own on a connection of its own, committed before it returns,
 * for work that must be visible to others at once (it must not run inside a JTA transaction).</li>
 * </ul>
 * Everywhere else an SQLException becomes a {@link DatabaseException}; which failures are worth retrying is
 * {@link SqlFailures}' decision.
 */
@Singleton
public class Jdbc {

    private final DataSource dataSource;
    private final EntityManager em;
    private final Statements pooled;
    private final Statements current;

    @Inject
    public Jdbc(DataSource dataSource, EntityManager em) {
        this.dataSource = dataSource;
        this.em = em;
        this.pooled = new Statements(new Statements.Runner() {
            @Override
            public <T> T run(String sql, Work<T> work) {
                try (Connection c = dataSource.getConnection()) {
                    return work.run(c);
                } catch (SQLException e) {
                    throw new DatabaseException(sql, e);
                }
            }
        });
        this.current = new Statements(new Statements.Runner() {
            @Override
            public <T> T run(String sql, Work<T> work) {
                if (Jdbc.this.em == null) {
                    throw new IllegalStateException("no persistence context outside CDI: " + sql);
                }
                return Jdbc.this.em.unwrap(Session.class).doReturningWork(work::run);
            }
        });
    }

    /** Pooled statements only, for code that runs without CDI (tools, tests); {@link #current()} is not available. */
    public static Jdbc of(DataSource dataSource) {
        return new Jdbc(dataSource, null);
    }

    public <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        return pooled.query(sql, binder, mapper);
    }

    public <T> Optional<T> queryOne(String sql, Binder binder, RowMapper<T> mapper) {
        return pooled.queryOne(sql, binder, mapper);
    }

    public int update(String sql, Binder binder) {
        return pooled.update(sql, binder);
    }

    public <T> int[] batch(String sql, Collection<T> items, ItemBinder<T> binder) {
        return pooled.batch(sql, items, binder);
    }

    /** The statements on the connection of the caller's transaction. */
    public Statements current() {
        return current;
    }

    /** Several statements on one pooled connection (one round of the pool, one session's settings). */
    public <T> T withConnection(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DatabaseException(what, e);
        }
    }

    /**
     * Work in a transaction of its own, committed when it returns and rolled back when it throws (the exception
     * goes on unchanged); {@link Statements#on} runs statements on its connection.
     */
    public <T> T inTransaction(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException(what, e);
        }
    }
}
