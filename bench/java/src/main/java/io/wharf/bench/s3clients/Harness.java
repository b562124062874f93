package io.wharf.bench.s3clients;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The part every client shares, so that they differ only in how they write: the same bodies, threads, warm-up,
 * clocks and read-back. Small objects: {@code threads} threads put 4 KiB bodies (64 distinct ones) until the rate
 * of a round stops rising (the JIT of this JVM and of S3Proxy), then one measured round. Large objects: as many
 * threads as files, each streaming a generated body of known length (never held whole), one round to warm up, then
 * the better of two measured rounds. CPU comes from /proc (this JVM, and S3Proxy's). Afterwards a sample of small
 * objects and one large object are read back through S3 and compared with what was sent, byte for byte (by SHA-256).
 * Prints {@code SMALL <puts/s> <client ms/put> <s3proxy ms/put>} and {@code LARGE <MB/s> <client ms/MB> <s3proxy ms/MB>}.
 */
public final class Harness {

    /** One way of writing objects: a whole small body (its own checksum computed as that way does), or a stream. */
    public interface Writer extends AutoCloseable {
        void small(String key, byte[] body) throws Exception;

        void large(String key, InputStream body, long length) throws Exception;
    }

    public static final String CONTENT_TYPE = "application/octet-stream";
    public static final Region REGION = Region.US_EAST_1;

    public final URI endpoint;
    public final String bucket;
    public final String accessKey;
    public final String secretKey;
    private final long s3ProxyPid;
    private final int smallCount;
    private final int largeCount;
    private final long largeBytes;
    private final int threads;
    private final byte[][] bodies = new byte[64][];

    /** endpoint bucket access-key secret-key s3proxy-pid small-count large-count large-mib threads */
    public Harness(String[] a) {
        endpoint = URI.create(a[0]);
        bucket = a[1];
        accessKey = a[2];
        secretKey = a[3];
        s3ProxyPid = Long.parseLong(a[4]);
        smallCount = Integer.parseInt(a[5]);
        largeCount = Integer.parseInt(a[6]);
        largeBytes = Long.parseLong(a[7]) << 20;
        threads = Integer.parseInt(a[8]);
        Random random = new Random(42);
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = new byte[4096];
            random.nextBytes(bodies[i]);
        }
    }

    public StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    public void run(String name, Writer writer) throws Exception {
        run(name, writer, true);
    }

    /** Without large files when the way cannot write them here (prints {@code LARGE - - -}). */
    public void run(String name, Writer writer, boolean withLarge) throws Exception {
        String prefix = "clients/" + name + "/";
        double best = 0;
        for (int round = 0, flat = 0; round < 8 && flat < 2; round++) {
            double rate = small(writer, prefix + "warm/", Math.max(1000, smallCount / 2))[0];
            System.err.printf("%s: small warm-up round %d: %.1f puts/s%n", name, round + 1, rate);
            if (rate > best * 1.03) {
                best = rate;
                flat = 0;
            } else {
                flat++;
            }
        }
        double[] s = small(writer, prefix + "small/", smallCount);
        System.out.printf("SMALL %.1f %.3f %.3f%n", s[0], s[1], s[2]);
        if (withLarge) {
            large(writer, prefix + "large/", Math.max(1 << 26, largeBytes / 4));
            double[] l = large(writer, prefix + "large/", largeBytes);
            double[] l2 = large(writer, prefix + "large/", largeBytes);
            System.err.printf("%s: large rounds %.1f and %.1f MB/s%n", name, l[0], l2[0]);
            if (l2[0] > l[0]) {
                l = l2;
            }
            System.out.printf("LARGE %.1f %.3f %.3f%n", l[0], l[1], l[2]);
        } else {
            System.out.println("LARGE - - -");
        }
        writer.close();
        verify(prefix, withLarge);
    }

    /** puts/s, client ms and S3Proxy ms per put */
    private double[] small(Writer writer, String prefix, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        return timed(count, threads, () -> {
            for (int i; (i = next.getAndIncrement()) < count;) {
                writer.small(prefix + i, bodies[i % bodies.length]);
            }
            return null;
        });
    }

    /** MB/s, client ms and S3Proxy ms per MB */
    private double[] large(Writer writer, String prefix, long bytes) throws Exception {
        double[] r = timed(largeCount, largeCount, new Task() {
            final AtomicInteger next = new AtomicInteger();

            @Override
            public Void call() throws Exception {
                int i = next.getAndIncrement();
                writer.large(prefix + i, new Generated(i, bytes), bytes);
                return null;
            }
        });
        double mb = largeCount * bytes / 1e6;
        return new double[] { mb / (largeCount / r[0]), r[1] * largeCount / mb, r[2] * largeCount / mb };
    }

    interface Task extends java.util.concurrent.Callable<Void> {
    }

    /** units/s, client ms and S3Proxy ms per unit, for {@code count} units done by {@code n} threads running the task */
    private double[] timed(int count, int n, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            long cpu0 = ticks("self");
            long proxy0 = ticks(Long.toString(s3ProxyPid));
            long t0 = System.nanoTime();
            List<Future<Void>> running = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                running.add(pool.submit(task));
            }
            for (Future<Void> f : running) {
                f.get();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpuMs = (ticks("self") - cpu0) * 10.0;
            double proxyMs = (ticks(Long.toString(s3ProxyPid)) - proxy0) * 10.0;
            return new double[] { count / secs, cpuMs / count, proxyMs / count };
        } finally {
            pool.shutdownNow();
        }
    }

    /** utime + stime of a process in clock ticks (100 per second) */
    private static long ticks(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Reads back 32 small objects and one large one through S3 and compares them with what was written. */
    private void verify(String prefix, boolean withLarge) throws Exception {
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(credentials())
                .forcePathStyle(true).build()) {
            Random random = new Random();
            for (int n = 0; n < 32; n++) {
                int i = random.nextInt(smallCount);
                byte[] stored = s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + "small/" + i)).asByteArray();
                if (!MessageDigest.isEqual(stored, bodies[i % bodies.length])) {
                    throw new IllegalStateException(prefix + "small/" + i + " does not hold what was written");
                }
            }
            int i = random.nextInt(largeCount);
            if (!withLarge) {
                System.err.println("read back: 32 small objects match what was written");
                return;
            }
            try (InputStream stored = s3.getObject(b -> b.bucket(bucket).key(prefix + "large/" + i))) {
                String got = sha256(stored);
                String want = sha256(new Generated(i, largeBytes));
                if (!got.equals(want)) {
                    throw new IllegalStateException(prefix + "large/" + i + " does not hold what was written");
                }
            }
        }
        System.err.println("read back: 32 small objects and one large object match what was written");
    }

    public static String sha256(InputStream in) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0;) {
            d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /**
     * A body of a given length that is generated as it is read: a random block of a length prime to any part size,
     * repeated from an offset of its own per file, so no two parts or files are alike and nothing is held whole.
     */
    public static final class Generated extends InputStream {
        private static final byte[] BLOCK = new byte[(1 << 20) + 17];

        static {
            new Random(7).nextBytes(BLOCK);
        }

        private final long length;
        private long position;
        private final int shift;

        public Generated(int file, long length) {
            this.length = length;
            this.shift = (file * 7919) % BLOCK.length;
        }

        @Override
        public int read() {
            if (position >= length) {
                return -1;
            }
            return BLOCK[(int) ((position++ + shift) % BLOCK.length)] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            int done = 0;
            while (done < n) {
                int at = (int) ((position + shift) % BLOCK.length);
                int chunk = Math.min(n - done, BLOCK.length - at);
                System.arraycopy(BLOCK, at, b, off + done, chunk);
                done += chunk;
                position += chunk;
            }
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, length - position);
        }
    }
}
