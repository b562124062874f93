package io.wharf.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The keys refused outside dev and test are exactly the ones application.properties publishes. */
@Tag("unit")
class PublishedKeysTest {

    @Test
    void everyProfileKeyInApplicationPropertiesIsKnownAsPublished() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            p.load(in);
        }
        assertThat(ApiKeys.PUBLISHED).containsExactlyInAnyOrder(p.getProperty("%dev.wharf.auth.bootstrap-admin-key"),
                p.getProperty("%test.wharf.auth.bootstrap-admin-key"));
        assertThat(ApiKeys.isPublished(" " + p.getProperty("%dev.wharf.auth.bootstrap-admin-key") + " ")).isTrue();
        assertThat(ApiKeys.isPublished(ApiKeys.generate().key())).isFalse();
    }
}
