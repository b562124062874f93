package io.wharf.bma;

/** The words and example of the ingestion endpoint in the API description. */
final class BmaApiDescription {

    private BmaApiDescription() {
    }

    static final String POST = """
            Every image becomes a files row (file_type transaction_record_image, related to its record), and each record's \
            images hold file ids only. An image is a URL of Wharf's bucket (source s3), any other http(s) URL (source ext, \
            queued for the S3 migration, never fetched here), an upload id from POST /api/uploads, or inline base64 bytes \
            (stored in S3 by Wharf, type checked from the bytes). Posting the same external_transaction_id again with the \
            same content answers the stored transaction (200); with other content, 409. An Idempotency-Key header replays \
            the first answer for 24 hours; the same key with another body gets 422. Errors name every offending field by \
            JSON Pointer (errors[].field, e.g. /records/1/images/0/url); nothing is stored then.""";

    static final String EXAMPLE = """
            {
              "external_transaction_id": "BMA-2025-11-000123",
              "transaction_date": "2025-11-07T09:30:00+07:00",
              "location": {"name": "Bang Rak collection point 4", "address": "Charoen Krung Rd, Bangkok", "latitude": 13.7246, "longitude": 100.5145},
              "collected_by": {"id": "EMP-0042", "name": "Somchai P."},
              "notes": "Morning round",
              "records": [
                {
                  "material": "PET bottles", "quantity": 12.5, "unit": "kg", "price": 87.5, "currency": "THB",
                  "observation": {"condition": "clean", "sorted": true},
                  "images": [
                    {"url": "https://photos.bma-partner.example/2025/11/07/123-a.jpg"},
                    {"upload_id": "6f1c2a9e-3b7d-4c55-9a0e-2d8f4b1e7c30"}
                  ]
                },
                {
                  "material": "Aluminium cans", "quantity": 3, "unit": "kg",
                  "images": [
                    {"data": "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA...", "content_type": "image/jpeg", "filename": "cans.jpg"},
                    {"url": "https://wharf-files.s3.amazonaws.com/uploads/<tenant id>/image/<upload id>.jpg"}
                  ]
                }
              ]
            }""";
}
