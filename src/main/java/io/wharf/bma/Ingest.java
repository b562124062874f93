package io.wharf.bma;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.storage.FileKind;

/** A transaction as the parser accepted it: every field checked, every image classified, nothing stored yet. */
record Ingest(String externalId, OffsetDateTime transactionDate, ObjectNode transactionData, List<Record> records, String contentSha256) {

    record Record(int index, ObjectNode data, JsonNode observation, List<Image> images) {
    }

    /** One image of a record, at {@code pointer} in the request. */
    sealed interface Image permits UrlImage, UploadImage, InlineImage {
        int record();

        int position();

        String pointer();

        String filename();
    }

    /** {@code url}: an object of Wharf's bucket (key set) or an external URL to migrate later (key null). */
    record UrlImage(int record, int position, String pointer, String filename, String url, String ownKey) implements Image {
    }

    record UploadImage(int record, int position, String pointer, String filename, UUID uploadId) implements Image {
    }

    record InlineImage(int record, int position, String pointer, String filename, byte[] bytes, FileKind kind, String sha256Hex,
            String sha256Base64) implements Image {
    }
}
