package io.wharf.copy;

import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.wharf.common.net.LenientUrl;

/**
 * A claimed job: which legacy URL to copy, for which row, how often it was tried (this attempt included), and
 * whose file it is (a tenant, or {@link #OPERATOR}), for a fair share of copy slots. {@code token} is its
 * claim's fencing token (s3_migration_log.claim_token): renewals, releases and outcomes must name it.
 */
public record Job(UUID id, String table, UUID recordId, Long fileId, String sourceColumn, String oldUrl, int attempts, boolean takenOver, UUID owner,
        UUID token, Lease lease) {

    /** The owner of jobs the operator's scan made from the seed tables' URLs (owner_tenant_id, V20). */
    public static final UUID OPERATOR = new UUID(0, 0);

    public LegacyColumn column() {
        return LegacyColumn.of(table, sourceColumn).orElse(null);
    }

    /** The legacy URL's file name, for user_uploads.original_filename. */
    public static String originalName(String url) {
        try {
            String path = LenientUrl.parse(url).getRawPath();
            String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
            String name = URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}/\\\\]", "_");
            return name.isBlank() ? "file" : name.length() > 255 ? name.substring(0, 255) : name;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return "file";
        }
    }
}
