package io.wharf.bma;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;

/**
 * Every offending field of one request, each named by its JSON Pointer (RFC 6901, {@code /records/1/images/0/url}),
 * so that a partner fixes all of them at once. The answer's status follows what is wrong: 413 when everything
 * wrong is a size, 415 when everything wrong is a file type, 400 otherwise (still listing the sizes and types).
 */
final class FieldErrors {

    enum Kind {
        INVALID, TOO_LARGE, UNSUPPORTED_TYPE
    }

    record FieldError(String pointer, String message, Kind kind) {
    }

    private final List<FieldError> errors = new ArrayList<>();

    void add(String pointer, String message) {
        errors.add(new FieldError(pointer, message, Kind.INVALID));
    }

    void add(String pointer, String message, Kind kind) {
        errors.add(new FieldError(pointer, message, kind));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw toException();
        }
    }

    WharfException toException() {
        ErrorCode code = errors.stream().allMatch(e -> e.kind() == Kind.TOO_LARGE) ? ErrorCode.PAYLOAD_TOO_LARGE
                : errors.stream().allMatch(e -> e.kind() == Kind.UNSUPPORTED_TYPE) ? ErrorCode.UNSUPPORTED_MEDIA_TYPE
                        : ErrorCode.VALIDATION_FAILED;
        List<Map<String, String>> list = errors.stream().map(e -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("field", e.pointer());
            m.put("message", e.message());
            return m;
        }).toList();
        String detail = errors.stream().map(e -> e.pointer() + ": " + e.message()).collect(Collectors.joining("; "));
        return new WharfException(code, detail, Map.of("errors", list));
    }

    /** RFC 6901: "~" and "/" inside a name are escaped. */
    static String pointer(String parent, String name) {
        return parent + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    static String pointer(String parent, int index) {
        return parent + "/" + index;
    }
}
