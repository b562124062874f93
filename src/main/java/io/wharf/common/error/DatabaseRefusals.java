package io.wharf.common.error;

import java.sql.SQLException;
import java.util.Map;

import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;

import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.core.Response;

/**
 * Failures in which PostgreSQL refused what a request asked for, as opposed to failing itself: a value it
 * cannot hold (SQLSTATE class 22: NUL in text, a timestamp or number out of range), a duplicate or a missing
 * reference (23505, 23503), another broken constraint (class 23), or a row that another request changed
 * first (an optimistic-lock failure). These are the client's mistake or race, so they are 4xx; the checks
 * in front of every query should catch them first, and this is the net behind those checks. The detail is
 * generic: the database's own message names tables, columns and values.
 */
final class DatabaseRefusals {

    private static final Logger LOG = Logger.getLogger(DatabaseRefusals.class);

    private DatabaseRefusals() {
    }

    /** The problem for a refusal anywhere in {@code e}'s causes, or null when the failure is not one. */
    static Response problem(Throwable e, String path) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return Problem.of(ErrorCode.PRECONDITION_FAILED, "The resource was changed by another request while this one was applied."
                        + " Read it again and re-apply your change.", path, Map.of()).toResponse();
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                Response refused = bySqlState(sql.getSQLState(), path);
                if (refused != null) {
                    LOG.infof("Request to %s refused by the database with SQLSTATE %s", path, sql.getSQLState());
                    LOG.debugf(e, "Refusal on %s", path);
                }
                return refused;
            }
        }
        return null;
    }

    private static Response bySqlState(String state, String path) {
        if (state.equals("23505")) {
            return Problem.of(ErrorCode.CONFLICT, "The request conflicts with an existing resource (its identity is taken).", path, Map.of())
                    .toResponse();
        }
        if (state.equals("23503")) {
            return Problem.of(ErrorCode.CONFLICT, "The request conflicts with a resource it refers to or that refers to it.", path, Map.of())
                    .toResponse();
        }
        if (state.startsWith("23")) {
            return Problem.of(ErrorCode.VALIDATION_FAILED, "A value in the request breaks a rule of the stored data.", path, Map.of())
                    .toResponse();
        }
        if (state.startsWith("22")) {
            String what = switch (state) {
                case "22P05", "22021" -> "Text must not contain the NUL character (\\u0000) or invalid characters.";
                case "22008" -> "A date or time in the request is outside the range that can be stored.";
                case "22003" -> "A number in the request is outside the range that can be stored.";
                case "22001" -> "A value in the request is longer than can be stored.";
                default -> "A value in the request cannot be stored or compared as given.";
            };
            return Problem.of(ErrorCode.BAD_REQUEST, what, path, Map.of()).toResponse();
        }
        return null;
    }
}
