package io.wharf.common.db;

import java.sql.SQLException;

/**
 * A statement that failed, unchecked. The {@link SQLException} stays its cause: the error mapper and
 * {@link SqlFailures} read the SQLSTATE there. An {@link IllegalStateException}, as the hand-written catch blocks
 * this replaces threw.
 */
public class DatabaseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    DatabaseException(String sql, SQLException cause) {
        super("SQL failed (" + cause.getSQLState() + "): " + summary(sql) + ": " + cause.getMessage(), cause);
    }

    /** The statement's start on one line, enough to find it in its repository. */
    private static String summary(String sql) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() <= 100 ? line : line.substring(0, 100) + "...";
    }
}
