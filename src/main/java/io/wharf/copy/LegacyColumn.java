package io.wharf.copy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where legacy file URLs live (seed 001) and where their S3 URLs go: a single URL column beside its S3
 * column, or a JSONB array of URLs beside an array of S3 URLs at the same positions. {@code files} rows of
 * source 'ext' are the other kind of job (see {@link #FILES}). Names here are table and column names, never
 * client input, which is what lets them be written into SQL.
 */
public enum LegacyColumn {
    PROFILE_AVATAR("business_profiles", "avatar_url", "avatar_s3_url", false, "avatar"),
    PROFILE_LOGO("business_profiles", "logo_url", "logo_s3_url", false, "image"),
    PROFILE_DOCUMENTS("business_profiles", "document_urls", "document_s3_urls", true, "document"),
    LEAD_REPORT("visibility_check_leads", "report_url", "report_s3_url", false, "report"),
    LEAD_SCREENSHOTS("visibility_check_leads", "screenshot_urls", "screenshot_s3_urls", true, "image"),
    PARTNER_CONTRACTS("business_partners", "contract_urls", "contract_s3_urls", true, "document"),
    PARTNER_VERIFICATION("business_partners", "verification_document_urls", "verification_document_s3_urls", true, "document"),
    FILES("files", "url", null, false, "image");

    public static final List<String> TABLES = List.of("business_profiles", "visibility_check_leads", "business_partners", "files");

    public final String table;
    public final String column;
    public final String s3Column;
    public final boolean array;
    /** user_uploads.upload_type of the migrated file (seed 001's values). */
    public final String uploadType;

    LegacyColumn(String table, String column, String s3Column, boolean array, String uploadType) {
        this.table = table;
        this.column = column;
        this.s3Column = s3Column;
        this.array = array;
        this.uploadType = uploadType;
    }

    public static Optional<LegacyColumn> of(String table, String column) {
        return Arrays.stream(values()).filter(c -> c.table.equals(table) && c.column.equals(column)).findFirst();
    }

    public static List<LegacyColumn> of(String table) {
        return Arrays.stream(values()).filter(c -> c.table.equals(table)).toList();
    }
}
