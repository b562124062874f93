package io.wharf.common.web;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;

/**
 * Query parameters are taken as text and checked here, before any query is built: what PostgreSQL would
 * refuse (NUL characters, timestamps outside its range, numbers that overflow) is the client's mistake,
 * answered 400 naming the parameter, never a failing query or a 404.
 */
public final class QueryParams {

    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private QueryParams() {
    }

    /** A page size from 1 to max; {@code fallback} when absent. */
    public static int limit(String name, String value, int fallback, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim();
        if (v.matches("\\d{1,9}")) {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) {
                return n;
            }
        }
        throw WharfException.invalid(name, "must be a whole number from 1 to " + max);
    }

    /** true or false (absent: false); anything else is the client's mistake, not a silent false. */
    public static boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw WharfException.invalid(name, "must be true or false");
        };
    }

    /** A filter value as given, refused when PostgreSQL could not compare it (it cannot hold NUL characters). */
    public static String text(String name, String value) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw WharfException.invalid(name, "must not contain the NUL character (%00)");
        }
        return value;
    }

    /** One of {@code allowed}, named in the answer when it is not. */
    public static String oneOf(String name, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw WharfException.invalid(name, "must be one of " + String.join(", ", allowed));
        }
        return value;
    }

    public static OffsetDateTime timestamp(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        OffsetDateTime t;
        try {
            t = OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new WharfException(ErrorCode.VALIDATION_FAILED, name + " must be an ISO-8601 timestamp with offset, e.g. 2025-01-31T00:00:00Z",
                    Map.of("errors", List.of(Map.of("field", name, "message", "must be an ISO-8601 timestamp with offset"))));
        }
        if (!PageCursor.storable(t)) {
            throw WharfException.invalid(name, "must be between " + PageCursor.EARLIEST + " and " + PageCursor.LATEST);
        }
        return t;
    }

    public static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        UUID id = uuidOrNull(value.trim());
        if (id == null) {
            throw WharfException.invalid(name, "must be a UUID");
        }
        return id;
    }

    /** The UUID a text spells in its canonical form, or null. */
    public static UUID uuidOrNull(String value) {
        return value != null && UUID_TEXT.matcher(value).matches() ? UUID.fromString(value) : null;
    }
}
