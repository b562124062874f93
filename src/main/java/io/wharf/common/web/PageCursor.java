package io.wharf.common.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;

/**
 * Keyset position (created_at, id) of the last item of a page, opaque to clients. Paging by position
 * instead of offset keeps pages stable while rows are inserted concurrently. A cursor comes back from the
 * client, so it is checked like any input: one this API could not have written (a time PostgreSQL cannot
 * hold, an id with NUL or longer than any id column) is a 400, never a failing query. Each cursor names
 * the list that wrote it, so one list's position is never read as another's (whose ids and order differ).
 */
public record PageCursor(OffsetDateTime createdAt, String id) {

    /** Within PostgreSQL's timestamptz range (4713 BC to 294276 AD), with a day to spare for offsets. */
    public static final OffsetDateTime EARLIEST = OffsetDateTime.of(-4712, 11, 25, 0, 0, 0, 0, ZoneOffset.UTC);
    public static final OffsetDateTime LATEST = OffsetDateTime.of(294276, 12, 30, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final Pattern RAW = Pattern.compile("([a-z_]{1,40})\\|(-?\\d{1,18})\\.(\\d{1,9})\\|(.{1,255})", Pattern.DOTALL);

    /** {@code list} names the endpoint (e.g. "demo_clients"); only {@link #decode} with the same name accepts it. */
    public String encode(String list) {
        Instant i = createdAt.toInstant();
        String raw = list + "|" + i.getEpochSecond() + "." + i.getNano() + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static boolean storable(OffsetDateTime t) {
        return !t.isBefore(EARLIEST) && !t.isAfter(LATEST);
    }

    /** Refuses a cursor another list wrote, and cursors written before lists were named (start again without them). */
    public static PageCursor decode(String cursor, String list) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            Matcher m = RAW.matcher(raw);
            if (m.matches() && m.group(1).equals(list) && m.group(4).indexOf('\u0000') < 0) {
                OffsetDateTime at = Instant.ofEpochSecond(Long.parseLong(m.group(2)), Long.parseLong(m.group(3))).atOffset(ZoneOffset.UTC);
                if (storable(at)) {
                    return new PageCursor(at, m.group(4));
                }
            }
        } catch (RuntimeException e) {
            // not base64, or a time beyond java.time's range: refused below like any other forged cursor
        }
        throw invalid();
    }

    public static WharfException invalid() {
        return new WharfException(ErrorCode.BAD_REQUEST, "The cursor is not one this endpoint returned; start again without it.");
    }
}
