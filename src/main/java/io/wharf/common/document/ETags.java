package io.wharf.common.document;

import java.util.Arrays;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;

/** Strong ETags from document versions, and If-Match checks that answer 412 on a stale version. */
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
        boolean matches = Arrays.stream(ifMatch.split(",")).map(String::trim).map(t -> t.startsWith("W/") ? t.substring(2) : t)
                .anyMatch(t -> t.equals("*") || t.equals(of(currentVersion)));
        if (!matches) {
            throw new WharfException(ErrorCode.PRECONDITION_FAILED, what + " has changed: its current version is " + of(currentVersion)
                    + " but If-Match was " + ifMatch + ". Read it again and re-apply your change.",
                    java.util.Map.of("currentVersion", currentVersion));
        }
    }
}
