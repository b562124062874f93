package io.wharf.schema;

import java.util.List;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;

/** Not ready while Flyway knows migrations that have not been applied to this database. */
@Readiness
@ApplicationScoped
public class MigrationsReadinessCheck implements HealthCheck {

    private final SchemaService schema;

    MigrationsReadinessCheck(SchemaService schema) {
        this.schema = schema;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            List<String> pending = schema.pendingMigrations();
            return HealthCheckResponse.named("database-migrations").status(pending.isEmpty())
                    .withData("pending", pending.size())
                    .withData("pendingScripts", String.join(",", pending)).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("database-migrations").down().withData("error", "migration state unreadable").build();
        }
    }
}
