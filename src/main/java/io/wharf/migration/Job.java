package io.wharf.migration;

import java.util.UUID;

/**
/**
 * A claimed job: which legacy URL to copy, for which row, how often it was tried (this attempt included), and
 * whose file it is (a tenant, or {@link JobQueue#OPERATOR}), for a fair share of copy slots. {@code token} is its
 * claim's fencing token (s3_migration_log.claim_token): renewals, releases and outcomes must name it.
 */
record Job(UUID id, String table, UUID recordId, Long fileId, String sourceColumn, String oldUrl, int attempts, boolean takenOver, UUID owner,
        UUID token, Lease lease) {

    LegacyColumn column() {
        return LegacyColumn.of(table, sourceColumn).orElse(null);
    }
}
