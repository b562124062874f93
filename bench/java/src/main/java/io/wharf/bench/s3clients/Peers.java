package io.wharf.bench.s3clients;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * The AWS SDK v2's own ways of writing what Wharf's copies write, each doing the same work: a small body's SHA-256
 * computed and sent for S3 to check, a large body streamed (never held whole) in 8 MiB parts, its whole SHA-256
 * computed on the way (Wharf records it). Modes: s3client (the sync client on Apache, multipart by hand, one part
 * at a time), async-netty (the async client on Netty with its multipart support), async-crt (the CRT-based async
 * client; see {@link #crt}) and transfer-manager (S3TransferManager over the Netty client with multipart support,
 * since the CRT client's multipart uploads fail against S3Proxy).
 */
public final class Peers {

    private static final long PART = 8L << 20;
    /**
     * The async client's multipart support sends x-amz-mp-object-size on CompleteMultipartUpload, which S3Proxy
     * answers with 501; without it, S3Proxy completes the upload as S3 would (the header only lets S3 check the size).
     */
    private static final ExecutionInterceptor WITHOUT_MP_OBJECT_SIZE = new ExecutionInterceptor() {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            return context.httpRequest().toBuilder().removeHeader("x-amz-mp-object-size").build();
        }
    };

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Harness h = new Harness(Arrays.copyOfRange(args, 1, args.length));
        ExecutorService streams = Executors.newCachedThreadPool();
        Harness.Writer writer = switch (mode) {
            case "s3client" -> sync(h);
            case "async-netty" -> async(h, netty(h), streams, false);
            case "async-crt" -> async(h, crt(h), streams, false);
            case "transfer-manager" -> async(h, netty(h), streams, true);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
        try {
            h.run(mode, writer, !mode.equals("async-crt"));
        } finally {
            streams.shutdownNow();
        }
    }

    private static S3AsyncClient netty(Harness h) {
        return S3AsyncClient.builder().endpointOverride(h.endpoint).region(Harness.REGION).credentialsProvider(h.credentials())
                .forcePathStyle(true).httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(64)).multipartEnabled(true)
                .overrideConfiguration(o -> o.addExecutionInterceptor(WITHOUT_MP_OBJECT_SIZE))
                .multipartConfiguration(c -> c.minimumPartSizeInBytes(PART).thresholdInBytes(PART)).build();
    }

    /**
     * Small objects only: the CRT client cannot write large files to S3Proxy. Its multipart uploads fail because
     * CRT's XML parser finds no UploadId in S3Proxy's CreateMultipartUpload answer (which opens with a single-quoted
     * XML declaration), and a 256 MiB file sent as one streamed PUT gets a 500 from S3Proxy.
     */
    private static S3AsyncClient crt(Harness h) {
        return S3AsyncClient.crtBuilder().endpointOverride(h.endpoint).region(Harness.REGION).credentialsProvider(h.credentials())
                .forcePathStyle(true).minimumPartSizeInBytes(PART).thresholdInBytes(PART).build();
    }

    private static String sha256(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Harness.Writer sync(Harness h) {
        S3Client s3 = S3Client.builder().endpointOverride(h.endpoint).region(Harness.REGION).credentialsProvider(h.credentials())
                .forcePathStyle(true).httpClientBuilder(ApacheHttpClient.builder().maxConnections(64)).build();
        return new Harness.Writer() {
            @Override
            public void small(String key, byte[] body) throws Exception {
                s3.putObject(b -> b.bucket(h.bucket).key(key).contentType(Harness.CONTENT_TYPE).checksumSHA256(sha256(body)),
                        RequestBody.fromBytes(body));
            }

            @Override
            public void large(String key, InputStream body, long length) throws Exception {
                MessageDigest whole = MessageDigest.getInstance("SHA-256");
                InputStream in = new DigestInputStream(body, whole);
                String uploadId = s3.createMultipartUpload(b -> b.bucket(h.bucket).key(key).contentType(Harness.CONTENT_TYPE)
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32_C)).uploadId();
                byte[] buffer = new byte[(int) PART];
                List<CompletedPart> parts = new ArrayList<>();
                for (int number = 1, n; (n = in.readNBytes(buffer, 0, buffer.length)) > 0; number++) {
                    int length1 = n;
                    int partNumber = number;
                    var answer = s3.uploadPart(b -> b.bucket(h.bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
                            RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length1), length1, Harness.CONTENT_TYPE));
                    parts.add(CompletedPart.builder().partNumber(number).eTag(answer.eTag()).checksumCRC32C(answer.checksumCRC32C()).build());
                }
                s3.completeMultipartUpload(b -> b.bucket(h.bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
                whole.digest();
            }

            @Override
            public void close() {
                s3.close();
            }
        };
    }

    private static Harness.Writer async(Harness h, S3AsyncClient s3, ExecutorService streams, boolean transferManager) {
        S3TransferManager tm = transferManager ? S3TransferManager.builder().s3Client(s3).build() : null;
        return new Harness.Writer() {
            @Override
            public void small(String key, byte[] body) throws Exception {
                put(PutObjectRequest.builder().bucket(h.bucket).key(key).contentType(Harness.CONTENT_TYPE).checksumSHA256(sha256(body)).build(),
                        AsyncRequestBody.fromBytes(body));
            }

            @Override
            public void large(String key, InputStream body, long length) throws Exception {
                MessageDigest whole = MessageDigest.getInstance("SHA-256");
                put(PutObjectRequest.builder().bucket(h.bucket).key(key).contentType(Harness.CONTENT_TYPE).build(),
                        AsyncRequestBody.fromInputStream(new DigestInputStream(body, whole), length, streams));
                whole.digest();
            }

            private void put(PutObjectRequest request, AsyncRequestBody body) {
                if (tm != null) {
                    tm.upload(u -> u.putObjectRequest(request).requestBody(body)).completionFuture().join();
                } else {
                    s3.putObject(request, body).join();
                }
            }

            @Override
            public void close() {
                if (tm != null) {
                    tm.close();
                }
                s3.close();
            }
        };
    }
}
