package io.wharf.common.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Query, update and batch over one way of getting a connection ({@link Jdbc}'s pooled connections, the
 * connection of the caller's transaction, or one a framework hands over, as Flyway does to its callbacks).
 * Statements are prepared, bound, run and closed here, so that repositories hold only their SQL, binders and
 * row mappers.
 */
public final class Statements {

    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Binder {
        Binder NONE = ps -> {
        };

        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Sets a batched statement's parameters for one item. */
    @FunctionalInterface
    public interface ItemBinder<T> {
        void bind(PreparedStatement ps, T item) throws SQLException;
    }

    /** Reads the current row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Work on a connection; the connection is not the work's to close. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs work on a connection and translates what fails. */
    @FunctionalInterface
    interface Runner {
        <T> T run(String sql, Work<T> work);
    }

    private final Runner runner;

    Statements(Runner runner) {
        this.runner = runner;
    }

    /** Statements on a connection the caller holds (and closes); an SQLException becomes a {@link DatabaseException}. */
    public static Statements on(Connection c) {
        return new Statements(new Runner() {
            @Override
            public <T> T run(String sql, Work<T> work) {
                try {
                    return work.run(c);
                } catch (SQLException e) {
                    throw new DatabaseException(sql, e);
                }
            }
        });
    }

    public <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        return runner.run(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                List<T> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(mapper.map(rs));
                    }
                }
                return out;
            }
        });
    }

    /** The first row, if any. */
    public <T> Optional<T> queryOne(String sql, Binder binder, RowMapper<T> mapper) {
        return runner.run(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The rows changed. */
    public int update(String sql, Binder binder) {
        return runner.run(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
    }

    /** Runs a statement that returns nothing to read (a lock, a SET). */
    public void execute(String sql, Binder binder) {
        runner.run(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                ps.execute();
                return null;
            }
        });
    }

    /** One statement run for each item, sent together; the rows changed per item. */
    public <T> int[] batch(String sql, Collection<T> items, ItemBinder<T> binder) {
        return runner.run(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (T item : items) {
                    binder.bind(ps, item);
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    /** An SQL array of {@code values} for a parameter (element type as PostgreSQL names it: text, uuid, bigint). */
    public static Array array(PreparedStatement ps, String type, Collection<?> values) throws SQLException {
        return ps.getConnection().createArrayOf(type, values.toArray());
    }
}
