package io.wharf.schema;

import org.flywaydb.core.Flyway;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Migrates at start instead of Quarkus' migrate-at-start, so the run is wrapped in Wharf's own lock
 * (see {@link WharfFlyway#migrate}). It observes start-up before every other bean, so the bootstrap key
 * and everything else that reads tables find the schema in place.
 */
@ApplicationScoped
public class SchemaMigrator {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, Flyway flyway) {
        WharfFlyway.migrate(flyway);
    }
}
