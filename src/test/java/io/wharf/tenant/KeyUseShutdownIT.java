package io.wharf.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.wharf.testing.AppProcess;
import io.wharf.testing.Sql;
import io.wharf.testing.TestDatabases;

/** A stopping instance writes the key uses it has noted but not yet flushed: a restart loses none. */
class KeyUseShutdownIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String KEY = "wharf_itkeyuse0000_integration-test-key-use-flushed-at-stop-01";

    @Test
    void keyUsesNotedBeforeAStopAreWrittenByTheShutdown() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_keyuse")) {
            String lastUsed = "SELECT count(last_used_at) FROM api_keys WHERE prefix = 'itkeyuse0000'";
            try (AppProcess app = AppProcess.start(db, Map.of("wharf.auth.bootstrap-admin-key", KEY,
                    "wharf.auth.key-use.flush-every", "1h")).awaitUp(START)) {
                assertThat(app.call("GET", "/api/admin/tenants", KEY, null).statusCode()).isEqualTo(200);
                assertThat(Sql.scalar(db.dataSource(), lastUsed)).as("not flushed while running").isEqualTo(0L);
            }
            assertThat(Sql.scalar(db.dataSource(), lastUsed)).isEqualTo(1L);
        }
    }
}
