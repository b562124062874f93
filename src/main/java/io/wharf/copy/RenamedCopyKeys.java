package io.wharf.copy;

import io.smallrye.config.RelocateConfigSourceInterceptor;

/**
 * The copy's settings were wharf.migration.* before they became wharf.copy.*; operators' old keys keep working. A
 * lookup of wharf.copy.x also reads wharf.migration.x, and when both are set the one from the stronger source wins
 * (an environment variable or -D over application.properties, as for any key; within one source, the old name).
 * Registered by service loader (META-INF/services/io.smallrye.config.ConfigSourceInterceptor), so it serves
 * {@link CopyConfig} and the schedules' expressions alike.
 */
public class RenamedCopyKeys extends RelocateConfigSourceInterceptor {

    static final String PREFIX = "wharf.copy.";
    static final String OLD_PREFIX = "wharf.migration.";

    public RenamedCopyKeys() {
        super(name -> name.startsWith(PREFIX) ? OLD_PREFIX + name.substring(PREFIX.length()) : name);
    }
}
