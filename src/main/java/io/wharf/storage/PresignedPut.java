package io.wharf.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedUploadPartRequest;

/**
 * A whole object (or one part of a multipart upload) held in memory, written as one presigned PUT sent with the
 * SDK's own HTTP client, the way the SDK documents for presigned requests. Measured on loopback S3Proxy (4 KiB objects): about 1.4-1.7 ms of CPU
 * per PUT for Wharf and 1.65 ms for the server, against 1.8-2.0 and 2.1 ms for the full S3Client pipeline
 * (its interceptors, marshalling, response parsing, and the payload hash a plain-HTTP endpoint forces on both
 * sides). The body's SHA-256 (a part's CRC32C) is a signed header, so S3 still verifies every byte before it
 * stores them. A body is sent at once, without waiting for "100 Continue" (it is already in memory) and
 * without aws-chunked signatures. Failures surface as the SDK's own exceptions ({@link S3Exception} with the error code S3 sent, or
 * {@link SdkClientException} when S3 could not be reached), so callers handle both paths alike.
 */
final class PresignedPut implements AutoCloseable {

    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]{1,100})</Code>");
    private static final Duration SIGNATURE_TTL = Duration.ofMinutes(15);

    private final S3Presigner presigner;
    private final SdkHttpClient http;
    private final String bucket;

    PresignedPut(S3Presigner presigner, String bucket, int maxConnections) {
        this.presigner = presigner;
        this.bucket = bucket;
        this.http = ApacheHttpClient.builder().maxConnections(maxConnections).expectContinueEnabled(false).connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(60)).build();
    }

    void put(String key, byte[] bytes, int length, String contentType, String sha256Base64) {
        PresignedPutObjectRequest p = presigner.presignPutObject(r -> r.signatureDuration(SIGNATURE_TTL).putObjectRequest(
                b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) length).checksumSHA256(sha256Base64)));
        send(p.httpRequest(), key, bytes, length);
    }

    /** One part of a multipart upload, checked by S3 against its CRC32C (base64); answers the part's ETag. */
    String uploadPart(String key, String uploadId, int partNumber, byte[] bytes, int length, String crc32cBase64) {
        PresignedUploadPartRequest p = presigner.presignUploadPart(r -> r.signatureDuration(SIGNATURE_TTL).uploadPartRequest(b -> b.bucket(bucket)
                .key(key).uploadId(uploadId).partNumber(partNumber).contentLength((long) length).checksumCRC32C(crc32cBase64)));
        return send(p.httpRequest(), key, bytes, length).firstMatchingHeader("ETag")
                .orElseThrow(() -> SdkClientException.create("S3 answered the part " + partNumber + " of " + key + " without an ETag"));
    }

    private SdkHttpResponse send(SdkHttpRequest request, String key, byte[] bytes, int length) {
        HttpExecuteResponse response;
        try {
            response = http.prepareRequest(HttpExecuteRequest.builder().request(request)
                    .contentStreamProvider(() -> new ByteArrayInputStream(bytes, 0, length)).build()).call();
        } catch (IOException e) {
            throw SdkClientException.builder().message("S3 could not be reached: " + e.getMessage()).cause(e).build();
        }
        int status = response.httpResponse().statusCode();
        String body = drain(response);
        if (status / 100 != 2) {
            Matcher code = ERROR_CODE.matcher(body);
            throw (S3Exception) S3Exception.builder().statusCode(status).message("S3 refused the PUT of " + key + " (HTTP " + status + ")")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode(code.find() ? code.group(1) : null).serviceName("S3").build()).build();
        }
        return response.httpResponse();
    }

    /** Reads what S3 answered (the connection goes back to the pool only once its body is consumed). */
    private static String drain(HttpExecuteResponse response) {
        if (response.responseBody().isEmpty()) {
            return "";
        }
        try (InputStream in = response.responseBody().get()) {
            return new String(in.readNBytes(8192), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
