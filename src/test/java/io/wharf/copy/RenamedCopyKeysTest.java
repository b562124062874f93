package io.wharf.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Operators' wharf.migration.* keys still set the copy's wharf.copy.* settings. */
@Tag("unit")
class RenamedCopyKeysTest {

    private static SmallRyeConfig smallRye(Map<String, String> low, Map<String, String> high) {
        return new SmallRyeConfigBuilder().withInterceptors(new RenamedCopyKeys())
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(low, "application.properties", 250), new PropertiesConfigSource(high, "environment", 300))
                .withMapping(CopyConfig.class).build();
    }

    private static CopyConfig config(Map<String, String> low, Map<String, String> high) {
        return smallRye(low, high).getConfigMapping(CopyConfig.class);
    }

    @Test
    void anOldKeyIsListedUnderItsNewNameOnly() {
        List<String> names = new ArrayList<>();
        smallRye(Map.of("wharf.migration.concurrency", "3", "wharf.s3.bucket", "b"), Map.of()).getPropertyNames().forEach(names::add);
        assertThat(names).contains("wharf.copy.concurrency", "wharf.s3.bucket").doesNotContain("wharf.migration.concurrency")
                .noneMatch(n -> n.startsWith("wharf.migration."));
    }

    @Test
    void anOldKeyAloneSetsTheSetting() {
        CopyConfig c = config(Map.of("wharf.migration.concurrency", "3", "wharf.migration.allowed-hosts", "files.internal:8080,old.internal",
                "wharf.migration.leftovers.grace", "2h"), Map.of());
        assertThat(c.concurrency()).isEqualTo(3);
        assertThat(c.allowedHosts()).contains(List.of("files.internal:8080", "old.internal"));
        assertThat(c.leftovers().grace()).isEqualTo(Duration.ofHours(2));
        assertThat(c.lease()).isEqualTo(Duration.ofSeconds(60)); // untouched: the default
    }

    @Test
    void theStrongerSourceWinsWhicheverNameItUses() {
        assertThat(config(Map.of("wharf.copy.concurrency", "3"), Map.of("wharf.migration.concurrency", "5")).concurrency()).isEqualTo(5);
        assertThat(config(Map.of("wharf.migration.concurrency", "3"), Map.of("wharf.copy.concurrency", "5")).concurrency()).isEqualTo(5);
        assertThat(config(Map.of("wharf.copy.concurrency", "3"), Map.of()).concurrency()).isEqualTo(3);
    }
}
