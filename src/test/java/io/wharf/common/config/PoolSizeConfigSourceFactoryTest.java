package io.wharf.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

@Tag("unit")
class PoolSizeConfigSourceFactoryTest {

    private static SmallRyeConfig config(Map<String, String> env, Map<String, String> appProperties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(env, "env", 300))
                .withSources(new PropertiesConfigSource(appProperties, "application.properties", 250))
                .withSources(new PoolSizeConfigSourceFactory())
                .build();
    }

    @Test
    void poolSizeIsKeptAndOverflowIsAddedToTheMaximum() {
        SmallRyeConfig c = config(Map.of("DATABASE_POOL_SIZE", "5", "DATABASE_MAX_OVERFLOW", "7"), Map.of());
        assertThat(c.getRawValue("quarkus.datasource.jdbc.min-size")).isEqualTo("5");
        assertThat(c.getRawValue("quarkus.datasource.jdbc.max-size")).isEqualTo("12");
    }

    @Test
    void seedDefaultsApplyWhenNothingIsSet() {
        SmallRyeConfig c = config(Map.of(), Map.of());
        assertThat(c.getRawValue("quarkus.datasource.jdbc.min-size")).isEqualTo("20");
        assertThat(c.getRawValue("quarkus.datasource.jdbc.max-size")).isEqualTo("30");
    }

    @Test
    void explicitQuarkusSettingsWin() {
        SmallRyeConfig c = config(Map.of("DATABASE_POOL_SIZE", "5"), Map.of("quarkus.datasource.jdbc.max-size", "99"));
        assertThat(c.getRawValue("quarkus.datasource.jdbc.max-size")).isEqualTo("99");
    }

    @Test
    void nonsenseIsRejectedWithTheVariableName() {
        assertThatThrownBy(() -> config(Map.of("DATABASE_MAX_OVERFLOW", "lots"), Map.of()))
                .hasStackTraceContaining("DATABASE_MAX_OVERFLOW must be a whole number");
    }
}
