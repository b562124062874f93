package io.wharf.bma;

import static io.wharf.bma.BmaFields.number;
import static io.wharf.bma.BmaFields.object;
import static io.wharf.bma.BmaFields.storable;
import static io.wharf.bma.BmaFields.text;
import static io.wharf.bma.BmaFields.unknown;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.web.JsonShape;
import io.wharf.common.web.PageCursor;
import io.wharf.storage.BucketUrls;

/**
 * Checks a posted transaction field by field and collects every mistake with its JSON Pointer before anything
 * is stored, instead of stopping at the first one as data binding does. Pure: no database, S3 or DNS (the
 * service vets URLs and uploads afterwards, adding to the same errors). The images of a record are
 * {@link BmaImages}' to check; the checks of single fields are {@link BmaFields}'.
 */
final class BmaParser {

    static final Set<String> UNITS = Set.of("kg", "g", "t", "lb", "l", "ml", "m3", "pcs");
    private static final Set<String> TOP = Set.of("external_transaction_id", "transaction_date", "location", "collected_by", "notes", "records");
    private static final Set<String> LOCATION = Set.of("name", "address", "latitude", "longitude");
    private static final Set<String> COLLECTOR = Set.of("id", "name");
    private static final Set<String> RECORD = Set.of("material", "quantity", "unit", "price", "currency", "observation", "images");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1e15");

    private final BmaConfig limits;
    private final BmaImages images;

    BmaParser(BmaConfig limits, BucketUrls bucketUrls) {
        this.limits = limits;
        this.images = new BmaImages(limits, bucketUrls);
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
            errors.add(at + "/unit", "must be one of " + String.join(", ", new TreeSet<>(UNITS)));
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
        List<Ingest.Image> images = this.images.images(rec, index, at, errors);
        ObjectNode data = ((ObjectNode) rec).deepCopy();
        data.remove("images");
        return new Ingest.Record(index, data, observation, images);
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
