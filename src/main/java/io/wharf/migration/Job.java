package io.wharf.migration;

import java.util.UUID;

/** A claimed job: which legacy URL to copy, for which row, and how often it was tried (this attempt included). */
record Job(UUID id, String table, UUID recordId, Long fileId, String sourceColumn, String oldUrl, int attempts, boolean takenOver) {

    LegacyColumn column() {
        return LegacyColumn.of(table, sourceColumn).orElse(null);
    }
}
