package io.wharf.bma;

import java.util.UUID;

/**
 * What one image becomes: the files row to insert, and where its bytes are (or will be). {@code protect}: an
 * existing ingestion object the request relies on, listed as pending until its files row commits.
 */
record StoredImage(int record, int position, String source, String url, String s3Bucket, String s3Key, String contentType, Long sizeBytes,
        String checksumSha256, String originalFilename, UUID uploadId, Ingest.InlineImage inline, boolean protect) {
}
