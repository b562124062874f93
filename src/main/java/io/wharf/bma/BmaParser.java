package io.wharf.bma;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.web.JsonShape;
import io.wharf.common.web.PageCursor;
import io.wharf.common.web.QueryParams;
import io.wharf.storage.BucketUrls;
import io.wharf.storage.FileKind;

/**
 * Checks a posted transaction field by field and collects every mistake with its JSON Pointer before anything
 * is stored, instead of stopping at the first one as data binding does. Pure: no database, S3 or DNS (the
 * service vets URLs and uploads afterwards, adding to the same errors).
 */
final class BmaParser {

    static final Set<String> UNITS = Set.of("kg", "g", "t", "lb", "l", "ml", "m3", "pcs");
    private static final Set<String> TOP = Set.of("external_transaction_id", "transaction_date", "location", "collected_by", "notes", "records");
    private static final Set<String> LOCATION = Set.of("name", "address", "latitude", "longitude");
    private static final Set<String> COLLECTOR = Set.of("id", "name");
    private static final Set<String> RECORD = Set.of("material", "quantity", "unit", "price", "currency", "observation", "images");
    private static final Set<String> IMAGE = Set.of("url", "upload_id", "data", "content_type", "filename");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1e15");
    /** Bytes, not characters: the migration queue's unique index holds at most 2704 bytes of a URL. */
    private static final int MAX_URL = 2048;

    private final BmaConfig limits;
    private final BucketUrls bucketUrls;

    BmaParser(BmaConfig limits, BucketUrls bucketUrls) {
        this.limits = limits;
        this.bucketUrls = bucketUrls;
    }

    /** The transaction, or null with the mistakes in {@code errors}. */
    Ingest parse(JsonNode body, FieldErrors errors) {
        if (body == null || !body.isObject()) {
            errors.add("", "the request body must be a JSON object");
            return null;
        }
        unknown(body, TOP, "", errors);
        String externalId = text(body, "external_transaction_id", "", 255, true, errors);
        if (externalId != null && !externalId.matches("[^\\s]+( [^\\s]+)*")) {
            errors.add("/external_transaction_id", "must not contain line breaks, tabs or repeated spaces");
        } else if (externalId != null && (externalId.equals(".") || externalId.equals(".."))) {
            errors.add("/external_transaction_id", "must not be '.' or '..' (it names the transaction in its URL)");
        }
        OffsetDateTime date = date(body, errors);
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        if (body.hasNonNull("transaction_date")) {
            data.set("transaction_date", body.get("transaction_date"));
        }
        data.set("location", location(body, errors));
        data.set("collected_by", collector(body, errors));
        String notes = text(body, "notes", "", 2000, false, errors);
        if (notes != null) {
            data.put("notes", notes);
        }
        List<Ingest.Record> records = records(body, errors);
        if (!errors.isEmpty()) {
            return null;
        }
        return new Ingest(externalId, date, data, records, ContentHash.of(body));
    }

    private OffsetDateTime date(JsonNode body, FieldErrors errors) {
        String text = text(body, "transaction_date", "", 64, true, errors);
        if (text == null) {
            return null;
        }
        OffsetDateTime t;
        try {
            t = text.length() == 10 ? LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC) : OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            errors.add("/transaction_date", "must be an ISO-8601 date-time with offset (2025-11-07T09:30:00+07:00) or a date (2025-11-07)");
            return null;
        }
        if (!PageCursor.storable(t)) {
            errors.add("/transaction_date", "is outside the range of dates Wharf can store");
            return null;
        }
        return t.withOffsetSameInstant(ZoneOffset.UTC); // PostgreSQL takes offsets up to 15:59 only; the instant is what counts
    }

    private JsonNode location(JsonNode body, FieldErrors errors) {
        JsonNode loc = object(body, "location", "", true, errors);
        if (loc == null) {
            return null;
        }
        unknown(loc, LOCATION, "/location", errors);
        text(loc, "name", "/location", 200, true, errors);
        text(loc, "address", "/location", 500, false, errors);
        number(loc, "latitude", "/location", new BigDecimal(-90), new BigDecimal(90), false, errors);
        number(loc, "longitude", "/location", new BigDecimal(-180), new BigDecimal(180), false, errors);
        return loc;
    }

    private JsonNode collector(JsonNode body, FieldErrors errors) {
        JsonNode by = object(body, "collected_by", "", true, errors);
        if (by == null) {
            return null;
        }
        unknown(by, COLLECTOR, "/collected_by", errors);
        String id = text(by, "id", "/collected_by", 100, false, errors);
        String name = text(by, "name", "/collected_by", 200, false, errors);
        if (id == null && name == null && !by.has("id") && !by.has("name")) {
            errors.add("/collected_by", "needs an id or a name of whoever collected the waste");
        }
        return by;
    }

    private List<Ingest.Record> records(JsonNode body, FieldErrors errors) {
        JsonNode records = body.get("records");
        List<Ingest.Record> out = new ArrayList<>();
        if (records == null || records.isNull()) {
            errors.add("/records", "is required: one or more records");
            return out;
        }
        if (!records.isArray() || records.isEmpty()) {
            errors.add("/records", "must be an array of one or more records");
            return out;
        }
        if (records.size() > limits.maxRecords()) {
            errors.add("/records", "has " + records.size() + " records; a transaction may have at most " + limits.maxRecords(),
                    FieldErrors.Kind.TOO_LARGE);
            return out;
        }
        for (int i = 0; i < records.size(); i++) {
            Ingest.Record r = record(records.get(i), i, errors);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private Ingest.Record record(JsonNode rec, int index, FieldErrors errors) {
        String at = FieldErrors.pointer("/records", index);
        if (!rec.isObject()) {
            errors.add(at, "must be an object");
            return null;
        }
        unknown(rec, RECORD, at, errors);
        text(rec, "material", at, 200, true, errors);
        number(rec, "quantity", at, BigDecimal.ZERO, MAX_AMOUNT, true, errors);
        String unit = text(rec, "unit", at, 10, true, errors);
        if (unit != null && !UNITS.contains(unit)) {
            errors.add(at + "/unit", "must be one of " + String.join(", ", new java.util.TreeSet<>(UNITS)));
        }
        number(rec, "price", at, BigDecimal.ZERO, MAX_AMOUNT, false, errors);
        String currency = text(rec, "currency", at, 3, false, errors);
        if (currency != null && !currency.matches("[A-Z]{3}")) {
            errors.add(at + "/currency", "must be an ISO 4217 code of three capital letters, e.g. THB");
        }
        JsonNode observation = object(rec, "observation", at, false, errors);
        if (observation != null) {
            storable(observation, at + "/observation", errors);
            JsonShape.check(observation, limits.observation()).ifPresent(v -> errors.add(at + "/observation", v.message(),
                    v.tooLarge() ? FieldErrors.Kind.TOO_LARGE : FieldErrors.Kind.INVALID));
        }
        List<Ingest.Image> images = images(rec, index, at, errors);
        ObjectNode data = ((ObjectNode) rec).deepCopy();
        data.remove("images");
        return new Ingest.Record(index, data, observation, images);
    }

    private List<Ingest.Image> images(JsonNode rec, int record, String at, FieldErrors errors) {
        List<Ingest.Image> out = new ArrayList<>();
        JsonNode images = rec.get("images");
        if (images == null || images.isNull()) {
            return out;
        }
        String list = at + "/images";
        if (!images.isArray()) {
            errors.add(list, "must be an array of images");
            return out;
        }
        if (images.size() > limits.maxImagesPerRecord()) {
            errors.add(list, "has " + images.size() + " images; a record may have at most " + limits.maxImagesPerRecord(),
                    FieldErrors.Kind.TOO_LARGE);
            return out;
        }
        for (int j = 0; j < images.size(); j++) {
            Ingest.Image image = image(images.get(j), record, j, FieldErrors.pointer(list, j), errors);
            if (image != null) {
                out.add(image);
            }
        }
        return out;
    }

    private Ingest.Image image(JsonNode img, int record, int position, String at, FieldErrors errors) {
        if (!img.isObject()) {
            errors.add(at, "must be an object with one of url, upload_id or data");
            return null;
        }
        unknown(img, IMAGE, at, errors);
        List<String> given = new ArrayList<>();
        for (String k : List.of("url", "upload_id", "data")) {
            if (img.has(k)) {
                given.add(k);
            }
        }
        if (given.size() != 1) {
            errors.add(at, given.isEmpty() ? "needs one of url, upload_id or data" : "has " + String.join(" and ", given) + "; give exactly one");
            return null;
        }
        String filename = text(img, "filename", at, 255, false, errors);
        if (filename != null && !filename.matches("[^/\\\\\\p{Cntrl}]+")) {
            errors.add(at + "/filename", "must be a file name without '/', '\\' or control characters");
        }
        if (!given.get(0).equals("data") && img.has("content_type")) {
            errors.add(at + "/content_type", "is only for inline data; the type of a URL or upload is taken from the file itself");
        }
        return switch (given.get(0)) {
            case "url" -> url(img, record, position, at, filename, errors);
            case "upload_id" -> {
                String id = text(img, "upload_id", at, 36, true, errors);
                UUID uuid = id == null ? null : QueryParams.uuidOrNull(id);
                if (id != null && uuid == null) {
                    errors.add(at + "/upload_id", "must be the UUID that POST /api/uploads answered");
                }
                yield uuid == null ? null : new Ingest.UploadImage(record, position, at, filename, uuid);
            }
            default -> inline(img, record, position, at, filename, errors);
        };
    }

    private Ingest.Image url(JsonNode img, int record, int position, String at, String filename, FieldErrors errors) {
        String url = text(img, "url", at, MAX_URL, true, errors);
        if (url == null) {
            return null;
        }
        if (url.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_URL) {
            errors.add(at + "/url", "must be at most " + MAX_URL + " bytes long");
            return null;
        }
        BucketUrls.Target target = bucketUrls.classify(url);
        if (target instanceof BucketUrls.Invalid invalid) {
            errors.add(at + "/url", invalid.reason());
            return null;
        }
        String ownKey = target instanceof BucketUrls.Own own ? own.key() : null;
        return new Ingest.UrlImage(record, position, at, filename, url, ownKey);
    }

    private Ingest.Image inline(JsonNode img, int record, int position, String at, String filename, FieldErrors errors) {
        JsonNode data = img.get("data");
        String declared = text(img, "content_type", at, 100, true, errors);
        if (!data.isTextual()) {
            errors.add(at + "/data", "must be the file's bytes in base64 (a string)");
            return null;
        }
        String b64 = data.textValue();
        long max = limits.maxImageBytes().asLongValue();
        if (b64.length() / 4L * 3 - 2 > max) {
            errors.add(at + "/data", "holds about " + (b64.length() / 4L * 3) + " bytes; an image may have at most " + max + " bytes",
                    FieldErrors.Kind.TOO_LARGE);
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            errors.add(at + "/data", "is not valid base64 (RFC 4648, without line breaks)");
            return null;
        }
        if (bytes.length == 0) {
            errors.add(at + "/data", "is empty");
            return null;
        }
        if (bytes.length > max) {
            errors.add(at + "/data", "holds " + bytes.length + " bytes; an image may have at most " + max + " bytes", FieldErrors.Kind.TOO_LARGE);
            return null;
        }
        FileKind kind = declared == null ? null : FileKind.forContentType(declared).orElse(null);
        if (declared != null && kind == null) {
            errors.add(at + "/content_type", declared + " is not a type Wharf stores; use one of " + FileKind.accepted(),
                    FieldErrors.Kind.UNSUPPORTED_TYPE);
            return null;
        }
        FileKind actual = FileKind.sniff(bytes).orElse(null);
        if (actual == null) {
            errors.add(at + "/data", "is no " + FileKind.accepted() + " file (judged from its first bytes)", FieldErrors.Kind.UNSUPPORTED_TYPE);
            return null;
        }
        if (kind != null && kind != actual) {
            errors.add(at + "/data", "is " + actual.contentType() + " (judged from its first bytes), not " + declared + " as declared",
                    FieldErrors.Kind.UNSUPPORTED_TYPE);
            return null;
        }
        if (kind == null) {
            return null;
        }
        byte[] digest = sha256(bytes);
        return new Ingest.InlineImage(record, position, at, filename, bytes, actual, HexFormat.of().formatHex(digest),
                Base64.getEncoder().encodeToString(digest));
    }

    /** Free-form JSON PostgreSQL can store: no NUL in names or strings, numbers within numeric's range. */
    private static void storable(JsonNode node, String at, FieldErrors errors) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String p = FieldErrors.pointer(at, e.getKey());
                if (e.getKey().indexOf('\u0000') >= 0) {
                    errors.add(p, "a field name must not contain the NUL character");
                } else {
                    storable(e.getValue(), p, errors);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                storable(node.get(i), FieldErrors.pointer(at, i), errors);
            }
        } else if (node.isTextual() && node.textValue().indexOf('\u0000') >= 0) {
            errors.add(at, "must not contain the NUL character");
        } else if (node.isNumber() && !finite(node)) {
            errors.add(at, "is a number too large or too precise to store");
        }
    }

    static boolean finite(JsonNode n) {
        if (n.isDouble() || n.isFloat()) {
            return Double.isFinite(n.doubleValue());
        }
        if (n.isBigDecimal()) {
            BigDecimal d = n.decimalValue();
            return d.precision() - d.scale() <= 1000 && d.scale() <= 1000;
        }
        return !n.isBigInteger() || n.bigIntegerValue().bitLength() <= 3000;
    }

    private static void unknown(JsonNode node, Set<String> known, String at, FieldErrors errors) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(FieldErrors.pointer(at, name), "is not a field of this object");
            }
        }
    }

    /** The field's value; null (and, when required, an error) when it is absent or JSON null. */
    private static JsonNode present(JsonNode parent, String name, String at, boolean required, FieldErrors errors) {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(FieldErrors.pointer(at, name), "is required");
            }
            return null;
        }
        return v;
    }

    private static String text(JsonNode parent, String name, String at, int max, boolean required, FieldErrors errors) {
        JsonNode v = present(parent, name, at, required, errors);
        String p = FieldErrors.pointer(at, name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            errors.add(p, "must be a string");
            return null;
        }
        String s = v.textValue().strip();
        if (s.isEmpty()) {
            errors.add(p, "must not be empty");
            return null;
        }
        if (s.length() > max) {
            errors.add(p, "must be at most " + max + " characters");
            return null;
        }
        if (s.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f)) {
            errors.add(p, "must not contain control characters");
            return null;
        }
        return s;
    }

    private static void number(JsonNode parent, String name, String at, BigDecimal min, BigDecimal max, boolean required, FieldErrors errors) {
        JsonNode v = present(parent, name, at, required, errors);
        String p = FieldErrors.pointer(at, name);
        if (v == null) {
            return;
        }
        if (!v.isNumber()) {
            errors.add(p, "must be a number" + (v.isTextual() ? ", not a string" : ""));
            return;
        }
        if (!finite(v)) {
            errors.add(p, "must be from " + min.toPlainString() + " to " + max.toPlainString());
            return;
        }
        BigDecimal d = v.decimalValue();
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            errors.add(p, "must be from " + min.toPlainString() + " to " + max.toPlainString());
        }
    }

    private static JsonNode object(JsonNode parent, String name, String at, boolean required, FieldErrors errors) {
        JsonNode v = present(parent, name, at, required, errors);
        String p = FieldErrors.pointer(at, name);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            errors.add(p, "must be an object");
            return null;
        }
        return v;
    }

    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] sha256(byte[] bytes) {
        return digest().digest(bytes);
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
