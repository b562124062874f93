package io.wharf.migration;

import java.util.UUID;

/**
 * A claimed job: which legacy URL to copy, for which row, and how often it was tried (this attempt included).
 * {@code token} is its claim's fencing token (s3_migration_log.claim_token): renewals and outcomes must name it.
 */
record Job(UUID id, String table, UUID recordId, Long fileId, String sourceColumn, String oldUrl, int attempts, boolean takenOver, UUID token,
        Lease lease) {

    LegacyColumn column() {
        return LegacyColumn.of(table, sourceColumn).orElse(null);
    }
}
