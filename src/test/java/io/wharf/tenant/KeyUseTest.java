package io.wharf.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;

/**
 * A key's use is written in the background: requests write nothing, and one flush writes one row update per
 * key however often it was used, with the time of its latest use. The scheduled flush is paused so that the
 * test decides when it runs.
 */
@QuarkusTest
class KeyUseTest {

    @Inject
    DataSource ds;

    @Inject
    KeyUseRecorder uses;

    @Inject
    Scheduler scheduler;

    @Test
    void manyUsesOfAKeyBetweenTwoFlushesAreOneRowUpdateWithTheLatestUse() {
        TestTenant t = TestTenants.client();
        scheduler.pause(KeyUseRecorder.IDENTITY);
        try {
            uses.flush();
            Object created = rowVersion(t);
            Instant firstUse = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            for (int i = 0; i < 20; i++) {
                t.as().when().get("/connector/profiles").then().statusCode(200);
            }
            Instant lastUse = Instant.now();
            assertThat(lastUsed(t)).as("requests write nothing").isNull();
            assertThat(rowVersion(t)).isEqualTo(created);

            assertThat(uses.flush()).isPositive();
            assertThat(rowVersion(t)).isNotEqualTo(created);
            assertThat(lastUsed(t)).isBetween(firstUse, lastUse);

            Object flushed = rowVersion(t);
            uses.flush();
            assertThat(rowVersion(t)).as("a flush with no new use writes nothing").isEqualTo(flushed);
        } finally {
            scheduler.resume(KeyUseRecorder.IDENTITY);
        }
    }

    private Instant lastUsed(TestTenant t) {
        Timestamp at = (Timestamp) Sql.rows(ds, "SELECT last_used_at FROM api_keys WHERE id = ?", t.keyId()).get(0).get("last_used_at");
        return at == null ? null : at.toInstant();
    }

    /** The transaction that wrote the row's current version: any update changes it. */
    private Object rowVersion(TestTenant t) {
        return Sql.scalar(ds, "SELECT xmin::text FROM api_keys WHERE id = ?", t.keyId());
    }
}
