package io.wharf.bma;

import static io.wharf.bma.BmaFields.text;
import static io.wharf.bma.BmaFields.unknown;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.wharf.common.web.QueryParams;
import io.wharf.storage.BucketUrls;
import io.wharf.storage.FileKind;

/**
 * The images of a posted record: each a URL, an upload's id or inline base64 data (decoded, within the size
 * limit, of a type judged from its first bytes). Pure like {@link BmaParser}: the URLs and uploads are vetted
 * afterwards.
 */
final class BmaImages {

    private static final Set<String> IMAGE = Set.of("url", "upload_id", "data", "content_type", "filename");
    /** Bytes, not characters: the migration queue's unique index holds at most 2704 bytes of a URL. */
    private static final int MAX_URL = 2048;

    private final BmaConfig limits;
    private final BucketUrls bucketUrls;

    BmaImages(BmaConfig limits, BucketUrls bucketUrls) {
        this.limits = limits;
        this.bucketUrls = bucketUrls;
    }

    List<Ingest.Image> images(JsonNode rec, int record, String at, FieldErrors errors) {
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
        if (url.getBytes(StandardCharsets.UTF_8).length > MAX_URL) {
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
        byte[] digest = BmaParser.sha256(bytes);
        return new Ingest.InlineImage(record, position, at, filename, bytes, actual, HexFormat.of().formatHex(digest),
                Base64.getEncoder().encodeToString(digest));
    }
}
