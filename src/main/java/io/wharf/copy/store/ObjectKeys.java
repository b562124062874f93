package io.wharf.copy.store;

import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

import io.wharf.common.net.LenientUrl;
import io.wharf.copy.Job;
import io.wharf.storage.FileKind;

/**
 * Names of migrated objects: {@code <prefix>/<table>/<column>/<job id>-<claim token>.<ext>}, the layout
 * generate_s3_url writes (a folder, the id, the extension). Each claim writes its own key, so a copy that lost
 * its lease can never change the object another claim recorded; every key of a job starts with
 * {@link #jobPrefix}, so a later copy of the same job (verification found its object wrong) may replace an
 * earlier one in the source row.
 */
final class ObjectKeys {

    private static final Map<String, String> EXTENSIONS = Map.of("image/jpeg", "jpg", "image/png", "png", "image/webp", "webp", "image/gif", "gif",
            "image/heic", "heic", "application/pdf", "pdf", "text/plain", "txt", "text/html", "html");

    private ObjectKeys() {
    }

    static String key(String prefix, Job job, String extension) {
        return jobPrefix(prefix, job) + (job.token() == null ? "" : "-" + job.token()) + "." + extension;
    }

    /** What every key of this job starts with, whichever claim wrote it (before V19 keys had no token). */
    static String jobPrefix(String prefix, Job job) {
        String column = job.sourceColumn() == null || job.sourceColumn().isEmpty() ? "unnamed" : job.sourceColumn();
        return prefix + "/" + job.table() + "/" + column + "/" + job.id();
    }

    /** The stored type's extension when the bytes are of a kind Wharf knows, else {@link #extension(String, String)}. */
    static String extension(String url, String declared, String stored) {
        return FileKind.forContentType(stored).map(FileKind::extension).orElseGet(() -> extension(url, declared));
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
}
