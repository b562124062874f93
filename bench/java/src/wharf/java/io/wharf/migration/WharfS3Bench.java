package io.wharf.migration;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

import io.quarkus.runtime.configuration.MemorySize;
import io.wharf.bench.s3clients.Harness;
import io.wharf.common.WharfConfig;
import io.wharf.storage.ObjectStore;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Wharf's side of bench/s3-clients: its own copy code (S3Copier, ObjectStore, SignedPut, as built in target/classes
 * and run on Wharf's own dependencies), fed from memory instead of a legacy server, with the S3 client configured as
 * application.properties configures it (Apache client, path-style) and the bench's settings (8 MiB parts).
 */
public final class WharfS3Bench {

    public static void main(String[] args) throws Exception {
        Harness h = new Harness(args);
        WharfConfig config = config(Map.of("bucket", h.bucket, "urlTtl", Duration.ofMinutes(15), "concurrency", 8,
                "partSize", new MemorySize(BigInteger.valueOf(8L << 20)), "maxFileSize", new MemorySize(BigInteger.valueOf(5L << 30))));
        S3Client s3 = S3Client.builder().endpointOverride(h.endpoint).region(Harness.REGION).credentialsProvider(h.credentials())
                .forcePathStyle(true).httpClientBuilder(ApacheHttpClient.builder().maxConnections(64)).build();
        S3Presigner presigner = S3Presigner.builder().endpointOverride(h.endpoint).region(Harness.REGION)
                .credentialsProvider(h.credentials()).serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
        Constructor<ObjectStore> c = ObjectStore.class.getDeclaredConstructor(S3Client.class, S3Presigner.class, WharfConfig.class);
        c.setAccessible(true);
        ObjectStore store = c.newInstance(s3, presigner, config);
        S3Copier copier = new S3Copier(s3, store, config);
        Throttle throttle = new Throttle(0, 0, 8, () -> false);
        // a lease that outlives the bench: nothing here renews it, and no other worker could take the copy over
        Lease lease = new Lease(System.nanoTime(), Duration.ofDays(1), Duration.ZERO);
        h.run("wharf", new Harness.Writer() {
            @Override
            public void small(String key, byte[] body) throws Exception {
                copy(key, new ByteArrayInputStream(body), body.length);
            }

            @Override
            public void large(String key, InputStream body, long length) throws Exception {
                copy(key, body, length);
            }

            private void copy(String key, InputStream body, long length) throws Exception {
                copier.copy(new LegacyFetch.Response("bench", length, Harness.CONTENT_TYPE, body, () -> {
                }), type -> key, lease, throttle);
            }

            @Override
            public void close() throws Exception {
                copier.close();
                Method close = ObjectStore.class.getDeclaredMethod("close");
                close.setAccessible(true);
                close.invoke(store);
                s3.close();
                presigner.close();
            }
        });
    }

    /** The settings S3Copier and ObjectStore read, by method name; any other is a bench defect and fails loudly. */
    private static WharfConfig config(Map<String, Object> values) {
        return proxy(WharfConfig.class, values);
    }

    private static <T> T proxy(Class<T> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (p, m, a) -> {
            if (values.containsKey(m.getName())) {
                return values.get(m.getName());
            }
            if (m.getReturnType().isInterface() && m.getParameterCount() == 0) {
                return proxy(m.getReturnType(), values);
            }
            throw new UnsupportedOperationException("bench config has no " + type.getSimpleName() + "." + m.getName());
        }));
    }
}
