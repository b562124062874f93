package io.wharf.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;

import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.LockAcquisitionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each question about a failed statement, answered by SQLSTATE, also when the SQLException is wrapped. */
@Tag("unit")
class SqlFailuresTest {

    @ParameterizedTest(name = "{0}: lost {1}, unreachable {2}, session broken {3}, worth retrying {4}")
    @CsvSource({
            "08001, false, true, true, true",
            "08003, true, true, true, true",
            "08006, true, true, true, true",
            "57P01, true, true, true, true",
            "57P02, true, true, true, true",
            "57P03, false, true, true, true",
            "57P04, false, false, true, true",
            "40001, false, false, false, true",
            "40P01, false, false, false, true",
            "55P03, false, false, false, true",
            "57014, false, false, false, true",
            "23505, false, false, false, false",
            "22P05, false, false, false, false" })
    void eachQuestionHasItsAnswer(String state, boolean lost, boolean unreachable, boolean broken, boolean retry) {
        SQLException sql = new SQLException("failed", state);
        Exception wrapped = new IllegalStateException("outer", new RuntimeException(sql));
        assertThat(SqlFailures.connectionLost(wrapped)).isEqualTo(lost);
        assertThat(SqlFailures.databaseUnreachable(wrapped)).isEqualTo(unreachable);
        assertThat(SqlFailures.sessionBroken(sql)).isEqualTo(broken);
        assertThat(SqlFailures.worthRetrying(wrapped)).isEqualTo(retry);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "refused", "pool" })
    void anUnreachableDatabaseNeedsNoSqlState(String kind) {
        Exception e = kind.equals("refused") ? new RuntimeException(new ConnectException("Connection refused"))
                : new RuntimeException(new SQLException("Sorry, acquisition timeout!"));
        assertThat(SqlFailures.databaseUnreachable(e)).isTrue();
        assertThat(SqlFailures.connectionLost(e)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "connection", "lock" })
    void hibernatesTranslationsAreRecognised(String kind) {
        Exception e = kind.equals("connection") ? new JDBCConnectionException("gone", new SQLException("gone"))
                : new LockAcquisitionException("locked", new SQLException("locked"));
        assertThat(SqlFailures.worthRetrying(e)).isTrue();
        assertThat(SqlFailures.databaseUnreachable(e)).isEqualTo(kind.equals("connection"));
    }
}
