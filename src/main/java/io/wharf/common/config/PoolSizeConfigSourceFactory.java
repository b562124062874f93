package io.wharf.common.config;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Seed 004 sizes its pool SQLAlchemy-style: DATABASE_POOL_SIZE connections kept, plus up to
 * DATABASE_MAX_OVERFLOW more under load. Agroal wants a minimum and a maximum, and the maximum is a
 * sum that config expressions cannot compute. Its ordinal sits below application.properties, so an
 * explicit quarkus.datasource.jdbc.min-size or max-size still wins.
 */
public class PoolSizeConfigSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = 245;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        int poolSize = intValue(context, "DATABASE_POOL_SIZE", 20);
        int overflow = intValue(context, "DATABASE_MAX_OVERFLOW", 10);
        return List.of(new PropertiesConfigSource(Map.of(
                "quarkus.datasource.jdbc.min-size", Integer.toString(poolSize),
                "quarkus.datasource.jdbc.max-size", Integer.toString(poolSize + overflow)), "wharf-pool-size", ORDINAL));
    }

    private static int intValue(ConfigSourceContext context, String name, int fallback) {
        ConfigValue v = context.getValue(name);
        if (v == null || v.getValue() == null || v.getValue().isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.getValue().trim());
            if (n < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v.getValue() + "'", e);
        }
    }
}
