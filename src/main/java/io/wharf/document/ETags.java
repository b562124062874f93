package io.wharf.document;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;

/**
 * Strong ETags from document versions, and If-Match checks that answer 412 on a stale version. If-Match
 * compares strongly (RFC 9110 13.1.1): a weak tag such as {@code W/"3"} only claims "semantically
 * equivalent", which is no basis for overwriting, so it never matches and gets 412 like any other tag that
 * does not name the current version (400 would suggest the header was malformed; it is not).
 */
public final class ETags {

    private ETags() {
    }

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /** Passes when If-Match is absent or names the current version (or is *). */
    public static void checkIfMatch(String ifMatch, long currentVersion, String what) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        List<String> tags = Arrays.stream(ifMatch.split(",")).map(String::trim).toList();
        if (tags.stream().anyMatch(t -> t.equals("*") || t.equals(of(currentVersion)))) {
            return;
        }
        if (tags.contains("W/" + of(currentVersion))) {
            throw new WharfException(ErrorCode.PRECONDITION_FAILED, "If-Match compares strongly, so a weak tag never matches: send "
                    + of(currentVersion) + " as the ETag was received, not W/" + of(currentVersion) + ".", Map.of("currentVersion", currentVersion));
        }
        throw new WharfException(ErrorCode.PRECONDITION_FAILED, what + " has changed: its current version is " + of(currentVersion)
                + " but If-Match was " + abbreviate(ifMatch) + ". Read it again and re-apply your change.",
                Map.of("currentVersion", currentVersion));
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
