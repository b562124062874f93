package io.wharf.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * '?', '&', '%3F', '%26' and '=' in every field of the three connection-string forms: a field either
 * is refused, or keeps the vetted host and port and names nothing a driver could read as a parameter.
 */
@Tag("unit")
class SqlConnectionStringTest {

    private static final List<String> PAYLOADS = List.of("x?host=10.0.0.5", "x&socketFactory=a.B", "x%3Fhost%3D10.0.0.5",
            "x%26connectTimeout%3D0", "x=y", "x?", "x&", "x%3F", "x%26");

    @Test
    void theIssuesExamplesAreRefused() {
        assertRefused("host=example.com dbname=x?host=127.0.0.1", "database name");
        assertRefused("postgresql://example.com/x%3Fhost%3D10.0.0.5%26connectTimeout%3D0", "database name");
        assertRefused("jdbc:postgresql://example.com/x%3FsslFactory%3Dorg.Evil", "database name");
        assertRefused("host=example.com dbname=db user=u?PGHOST=10.0.0.5", "user name");
    }

    @Test
    void noFieldOfAnyFormCarriesParameters() {
        List<String> cases = new ArrayList<>();
        for (String p : PAYLOADS) {
            // database
            cases.add("jdbc:postgresql://example.com:5432/" + p);
            cases.add("postgresql://u@example.com:5432/" + p);
            cases.add("host=example.com port=5432 dbname=" + p);
            cases.add("host=example.com port=5432 dbname='" + p + "'");
            // user
            cases.add("jdbc:postgresql://" + p + "@example.com:5432/db");
            cases.add("postgresql://" + p + ":pw@example.com:5432/db");
            cases.add("jdbc:postgresql://example.com:5432/db?user=" + p);
            cases.add("host=example.com port=5432 dbname=db user=" + p);
            // host
            cases.add("jdbc:postgresql://" + p + ":5432/db");
            cases.add("postgresql://" + p + "/db");
            cases.add("host=" + p + " port=5432 dbname=db");
            // port
            cases.add("jdbc:postgresql://example.com:" + p + "/db");
            cases.add("postgresql://example.com:5432" + p + "/db");
            cases.add("host=example.com port=" + p + " dbname=db");
            cases.add("host=example.com port=5432" + p + " dbname=db");
            // sslmode
            cases.add("postgresql://example.com:5432/db?sslmode=" + p);
            cases.add("host=example.com port=5432 dbname=db sslmode=" + p);
        }
        for (String cs : cases) {
            Throwable refused = catchThrowable(() -> SqlConnectionString.parse(cs, Map.of()));
            if (refused == null) {
                SqlConnectionString.Target t = SqlConnectionString.parse(cs, Map.of());
                assertThat(t.host()).as(cs).isIn("example.com", "x"); // "x?host=..." in a URI: host x, the query ignored
                assertThat(t.port()).as(cs).isEqualTo(5432);
                assertThat(t.database()).as(cs).matches("[A-Za-z0-9_.$-]+");
                assertThat(t.user()).as(cs).matches("[A-Za-z0-9_.$-]+");
                assertThat(t.sslmode()).as(cs).isNull();
            } else {
                assertThat(refused).as(cs).isInstanceOf(IllegalArgumentException.class);
            }
        }
        for (String p : PAYLOADS) {
            assertThatThrownBy(() -> SqlConnectionString.parse("host=example.com dbname=db", Map.of("username", p))).as(p)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user name");
            assertThatThrownBy(() -> SqlConnectionString.parse("postgresql://example.com/" + p.replace("?", "%3F").replace("&", "%26")
                    .replace("=", "%3D"), Map.of())).as(p).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database name");
        }
    }

    @Test
    void passwordsAreKeptVerbatimAndDecodedOnce() {
        String pw = "p?a&b%3F%26=c 'q'";
        assertThat(SqlConnectionString.parse("host=example.com dbname=db", Map.of("username", "u", "password", pw)).password()).isEqualTo(pw);
        assertThat(SqlConnectionString.parse("host=example.com dbname=db user=u password='p?a&b%3F%26=c \\'q\\''", Map.of()).password())
                .isEqualTo(pw);
        SqlConnectionString.Target t = SqlConnectionString.parse("postgresql://u:p%3Fa%26b%253F%2526%3Dc%20%27q%27@example.com/db", Map.of());
        assertThat(t.password()).isEqualTo(pw);
        assertThat(t.user()).isEqualTo("u");
        assertThat(t.host()).isEqualTo("example.com");
    }

    @Test
    void ordinaryStringsStillParse() {
        assertThat(SqlConnectionString.parse("jdbc:postgresql://db.example.com:6543/app_db?sslmode=require", Map.of("username", "app")))
                .isEqualTo(new SqlConnectionString.Target("db.example.com", 6543, "app_db", "app", null, "require"));
        assertThat(SqlConnectionString.parse("postgres://alice:secret@[2001:db8::5]/reports", Map.of()))
                .isEqualTo(new SqlConnectionString.Target("2001:db8::5", 5432, "reports", "alice", "secret", null));
        assertThat(SqlConnectionString.parse("host = db.example.com  port=5433 dbname=my-db user=u$1 sslmode=verify-full", Map.of()))
                .isEqualTo(new SqlConnectionString.Target("db.example.com", 5433, "my-db", "u$1", null, "verify-full"));
        assertThat(SqlConnectionString.parse("host=db.example.com", Map.of("username", "bob")).database()).isEqualTo("bob");
        assertThat(SqlConnectionString.parse("host=db.example.com", Map.of()))
                .isEqualTo(new SqlConnectionString.Target("db.example.com", 5432, "postgres", "postgres", null, null));
    }

    @Test
    void portsOutsideTheirRangeAndOddHostsAreRefused() {
        assertRefused("host=example.com port=0 dbname=db", "port");
        assertRefused("host=example.com port=65536 dbname=db", "port");
        assertRefused("host=example.com port=-1 dbname=db", "port");
        assertRefused("postgresql://example.com:/db", "port");
        assertRefused("postgresql://example.com:99999/db", "port");
        assertRefused("host=exa_mple.com dbname=db", "host");
        assertRefused("host=a,b dbname=db", "host");
        assertRefused("host=/var/run/postgresql dbname=db", "host");
        assertRefused("postgresql://a.com,b.com/db", "host");
        assertRefused("host=example.com dbname=db sslmode=verify", "sslmode");
        assertRefused("host=example.com dbname=" + "d".repeat(64), "database name");
    }

    private static void assertRefused(String cs, String mentioning) {
        assertThatThrownBy(() -> SqlConnectionString.parse(cs, Map.of())).as(cs).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(mentioning);
    }
}
