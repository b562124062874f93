package io.wharf.migration;

import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import io.wharf.common.net.LenientUrl;

/**
 * Names of migrated objects: {@code <prefix>/<table>/<column>/<job id>.<ext>}, the layout generate_s3_url
 * writes (a folder, the id, the extension). The job id fixes the key, so a repeated copy overwrites its own
 * object instead of adding one.
 */
final class Keys {

    private static final Map<String, String> EXTENSIONS = Map.of("image/jpeg", "jpg", "image/png", "png", "image/webp", "webp", "image/gif", "gif",
            "image/heic", "heic", "application/pdf", "pdf", "text/plain", "txt", "text/html", "html");

    private Keys() {
    }

    static String key(String prefix, Job job, String extension) {
        String column = job.sourceColumn() == null || job.sourceColumn().isEmpty() ? "unnamed" : job.sourceColumn();
        return prefix + "/" + job.table() + "/" + column + "/" + job.id() + "." + extension;
    }

    /** The URL path's extension when it is a plain one, else the type's, else "bin". */
    static String extension(String url, String contentType) {
        try {
            String path = LenientUrl.parse(url).getPath();
            if (path != null) {
                String last = path.substring(path.lastIndexOf('/') + 1);
                int dot = last.lastIndexOf('.');
                if (dot > 0) {
                    String ext = last.substring(dot + 1).toLowerCase(Locale.ROOT);
                    if (ext.matches("[a-z0-9]{1,8}")) {
                        return ext.equals("jpeg") ? "jpg" : ext;
                    }
                }
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // no usable path
        }
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return EXTENSIONS.getOrDefault(type, "bin");
    }

    /** The legacy URL's file name, for user_uploads.original_filename. */
    static String originalName(String url) {
        try {
            String path = LenientUrl.parse(url).getRawPath();
            String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
            String name = URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}/\\\\]", "_");
            return name.isBlank() ? "file" : name.length() > 255 ? name.substring(0, 255) : name;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return "file";
        }
    }

    static String clip(String message) {
        return message == null || message.length() <= 2000 ? message : message.substring(0, 2000) + "...";
    }
}
