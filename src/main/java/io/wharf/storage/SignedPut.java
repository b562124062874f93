package io.wharf.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * A whole object (or one part of a multipart upload) held in memory, written as one PUT signed with the SDK's
 * SigV4 signer and sent with the SDK's HTTP client, without the S3 client's per-request pipeline (endpoint rules,
 * interceptors, marshalling) or a presigner's. Measured on loopback S3Proxy, 4 KiB objects, 8 threads, JIT warm:
 * about 0.12 ms of client CPU per PUT, against 0.52 ms for a presigned PUT and more for S3Client.putObject; the
 * server spends the same. The object's URL is the bucket's base URL (resolved once by the presigner from the
 * configured endpoint, region and addressing style) plus the encoded key, so it stays what S3Client would use.
 * The payload goes unsigned and its checksum (a whole object's SHA-256, a part's CRC32C) is a signed header that
 * S3 verifies before it stores a byte: no second pass over the body. A body is sent at once, without waiting for
 * "100 Continue" (it is already in memory) and without aws-chunked signatures. Failures surface as the SDK's own
 * exceptions ({@link S3Exception} with the error code S3 sent, or {@link SdkClientException} when S3 could not be
 * reached), so callers handle both paths alike.
 */
final class SignedPut implements AutoCloseable {

    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]{1,100})</Code>");
    private static final String PROBE_KEY = "wharf-probe-key";

    private final SdkHttpClient http;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final String region;
    /** The bucket's URL up to the key: {@code http://host:port/bucket/} path-style, {@code https://bucket.host/} virtual-host. */
    private final String base;

    SignedPut(S3Presigner presigner, S3Client s3, String bucket, int maxConnections) {
        this.credentials = s3.serviceClientConfiguration().credentialsProvider();
        this.region = s3.serviceClientConfiguration().region().id();
        String probe = presigner
                .presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(1)).getObjectRequest(o -> o.bucket(bucket).key(PROBE_KEY)))
                .url().toString();
        String withoutQuery = probe.contains("?") ? probe.substring(0, probe.indexOf('?')) : probe;
        if (!withoutQuery.endsWith("/" + PROBE_KEY)) {
            throw new IllegalStateException("Unexpected object URL form for bucket " + bucket + ": " + withoutQuery);
        }
        this.base = withoutQuery.substring(0, withoutQuery.length() - PROBE_KEY.length());
        this.http = ApacheHttpClient.builder().maxConnections(maxConnections).expectContinueEnabled(false).connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(60)).build();
    }

    void put(String key, byte[] bytes, int length, String contentType, String sha256Base64) {
        SdkHttpFullRequest.Builder request = request(key, "", length).putHeader("Content-Type", contentType)
                .putHeader("x-amz-checksum-sha256", sha256Base64);
        send(request, key, bytes, length);
    }

    /** One part of a multipart upload, checked by S3 against its CRC32C (base64); answers the part's ETag. */
    String uploadPart(String key, String uploadId, int partNumber, byte[] bytes, int length, String crc32cBase64) {
        SdkHttpFullRequest.Builder request = request(key, "?partNumber=" + partNumber + "&uploadId=" + SdkHttpUtils.urlEncode(uploadId), length)
                .putHeader("x-amz-checksum-crc32c", crc32cBase64);
        return send(request, key, bytes, length).firstMatchingHeader("ETag")
                .orElseThrow(() -> SdkClientException.create("S3 answered the part " + partNumber + " of " + key + " without an ETag"));
    }

    private SdkHttpFullRequest.Builder request(String key, String query, int length) {
        return SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT).uri(URI.create(base + SdkHttpUtils.urlEncodeIgnoreSlashes(key) + query))
                .putHeader("Content-Length", Integer.toString(length));
    }

    private SdkHttpResponse send(SdkHttpFullRequest.Builder unsigned, String key, byte[] bytes, int length) {
        ContentStreamProvider payload = () -> new ByteArrayInputStream(bytes, 0, length);
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        SignedRequest signed = signer.sign(r -> r.identity(identity).request(unsigned.build()).payload(payload)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3").putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false).putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        HttpExecuteResponse response;
        try {
            response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request()).contentStreamProvider(payload).build()).call();
        } catch (IOException e) {
            throw SdkClientException.builder().message("S3 could not be reached: " + e.getMessage()).cause(e).build();
        }
        int status = response.httpResponse().statusCode();
        String answer = drain(response);
        if (status / 100 != 2) {
            Matcher code = ERROR_CODE.matcher(answer);
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
