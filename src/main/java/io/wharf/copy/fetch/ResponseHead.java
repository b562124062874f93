package io.wharf.copy.fetch;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.wharf.copy.CopyFailure;

/**
 * The status line and headers of a legacy server's final answer (1xx answers are read past), as far as a copy needs
 * them, with the framing checks that keep a damaged file from looking complete: conflicting or invalid
 * Content-Length, a transfer coding other than chunked, and a Content-Encoding other than identity are refused.
 */
record ResponseHead(String statusLine, int code, String location, String contentType, Duration retryAfter, Long length, boolean chunked,
        List<String> connection) {

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] [0-9]{3}( .*)?");
    private static final Pattern DIGITS_18 = Pattern.compile("[0-9]{1,18}");
    private static final Pattern DIGITS_9 = Pattern.compile("[0-9]{1,9}");

    /** HTTP/1.1 keeps the connection unless the server says close; HTTP/1.0 only when it says keep-alive. */
    boolean keepsConnection() {
        return statusLine.startsWith("HTTP/1.1") ? !connection.contains("close") : connection.contains("keep-alive");
    }

    /** RFC 9112 6.1, 6.3: chunked with a length, or chunked in HTTP/1.0, is faulty framing; the connection ends with it. */
    boolean faultyFraming() {
        return chunked && (length != null || statusLine.startsWith("HTTP/1.0"));
    }

    /** Reads the head, every line waiting only for what is left until {@code deadline} (the connect timeout). */
    static ResponseHead read(BodyStream in, String host, long deadline) throws IOException, CopyFailure {
        in.headerDeadline(deadline);
        int[] budget = { MAX_HEADER_BYTES };
        while (true) {
            String status = in.line(budget);
            if (!STATUS_LINE.matcher(status).matches()) {
                throw new CopyFailure("http_status", host + " did not answer in HTTP/1.1", false, null);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            String location = null;
            String type = null;
            String encoding = null;
            Duration retryAfter = null;
            Long length = null;
            String transfer = null;
            String connection = "";
            for (String line = in.line(budget); !line.isEmpty(); line = in.line(budget)) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                switch (name) {
                    case "location" -> location = value;
                    case "content-type" -> type = value;
                    case "content-encoding" -> encoding = value.toLowerCase(Locale.ROOT);
                    case "content-length" -> {
                        // RFC 9112 6.3: an invalid or conflicting length makes the body's end unknowable
                        if (!DIGITS_18.matcher(value).matches() || length != null && length != Long.parseLong(value)) {
                            throw new CopyFailure("malformed_response",
                                    host + " sent an invalid or conflicting Content-Length (" + CopyFailure.clip(value) + ")", false, null);
                        }
                        length = Long.parseLong(value);
                    }
                    case "transfer-encoding" -> transfer = (transfer == null ? "" : transfer + ",") + value.toLowerCase(Locale.ROOT);
                    case "connection" -> connection = connection + "," + value.toLowerCase(Locale.ROOT);
                    case "retry-after" -> retryAfter = DIGITS_9.matcher(value).matches() ? Duration.ofSeconds(Long.parseLong(value)) : null;
                    default -> {
                    }
                }
            }
            if (code >= 100 && code < 200) {
                continue;
            }
            boolean chunked = transfer != null;
            if (chunked && !transfer.replace(" ", "").equals("chunked")) {
                throw new CopyFailure("malformed_response", host + " sent the body with Transfer-Encoding " + CopyFailure.clip(transfer)
                        + "; only chunked is read", true, null);
            }
            if (code == 200 && encoding != null && !encoding.equals("identity")) {
                // the object must hold the file's own bytes, not a compressed form of them
                throw new CopyFailure("malformed_response", host + " sent the file with Content-Encoding " + CopyFailure.clip(encoding)
                        + " although Wharf asked for identity", true, null);
            }
            return new ResponseHead(status, code, location, type, retryAfter, length, chunked,
                    Arrays.stream(connection.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList());
        }
    }
}
