package io.wharf.migration;

import java.util.UUID;

/**
 * A claimed job: which legacy URL to copy, for which row, how often it was tried (this attempt included), and
 * whose file it is (a tenant, or {@link JobQueue#OPERATOR}), for a fair share of copy slots.
 */
record Job(UUID id, String table, UUID recordId, Long fileId, String sourceColumn, String oldUrl, int attempts, boolean takenOver, UUID owner) {

    LegacyColumn column() {
        return LegacyColumn.of(table, sourceColumn).orElse(null);
    }
}
