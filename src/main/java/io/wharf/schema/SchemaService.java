package io.wharf.schema;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;

/** Answers "which migrations ran" and "is every object the contract names really there". */
@ApplicationScoped
public class SchemaService {

    private final Flyway flyway;
    private final SchemaRepository repository;
    private final SchemaContract contract;

    SchemaService(Flyway flyway, SchemaRepository repository, ObjectMapper mapper) {
        this.flyway = flyway;
        this.repository = repository;
        this.contract = SchemaContract.load(mapper);
    }

    public List<MigrationView> migrations() {
        Map<String, String> sha = repository.ledgerChecksums();
        return Arrays.stream(flyway.info().all()).map(i -> MigrationView.of(i, sha)).toList();
    }

    public List<String> pendingMigrations() {
        return Arrays.stream(flyway.info().pending()).map(MigrationInfo::getScript).toList();
    }

    public SchemaReport verify() {
        List<String> missing = contract.missingFrom(repository.catalog());
        return new SchemaReport(missing.isEmpty(), contract.size(), missing);
    }

    public record SchemaReport(boolean ok, int checked, List<String> missing) {
    }

    public record MigrationView(String version, String description, String type, String script, String state,
            OffsetDateTime installedOn, Integer executionTimeMs, Integer checksum, String sha256) {

        static MigrationView of(MigrationInfo i, Map<String, String> sha) {
            String version = i.getVersion() == null ? null : i.getVersion().getVersion();
            MigrationState state = i.getState();
            return new MigrationView(version, i.getDescription(), i.getType() == null ? null : i.getType().name(),
                    i.getScript(), state == null ? null : state.getDisplayName(),
                    i.getInstalledOn() == null ? null : i.getInstalledOn().toInstant().atOffset(ZoneOffset.UTC),
                    i.getExecutionTime(), i.getChecksum(), version == null ? null : sha.get(version));
        }
    }
}
