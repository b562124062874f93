package io.wharf.copy;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

import io.smallrye.config.ConfigSourceInterceptorContext;
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

    /** An old key is listed under its new name, so that the mappings (which refuse keys they do not know) see only that. */
    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        Set<String> names = new LinkedHashSet<>();
        context.iterateNames().forEachRemaining(n -> names.add(n.startsWith(OLD_PREFIX) ? PREFIX + n.substring(OLD_PREFIX.length()) : n));
        return names.iterator();
    }
}
