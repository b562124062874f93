package io.wharf.common.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;

/**
 * Keyset position (created_at, id) of the last item of a page, opaque to clients. Paging by position
 * instead of offset keeps pages stable while rows are inserted concurrently.
 */
public record PageCursor(OffsetDateTime createdAt, String id) {

    public String encode() {
        Instant i = createdAt.toInstant();
        String raw = i.getEpochSecond() + "." + i.getNano() + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static PageCursor decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            String[] t = raw.substring(0, bar).split("\\.");
            Instant at = Instant.ofEpochSecond(Long.parseLong(t[0]), Long.parseLong(t[1]));
            return new PageCursor(at.atOffset(ZoneOffset.UTC), raw.substring(bar + 1));
        } catch (RuntimeException e) {
            throw new WharfException(ErrorCode.BAD_REQUEST, "The cursor is not one this API returned; start again without it.");
        }
    }
}
