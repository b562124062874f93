package io.wharf.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Makes {@code ./mvnw quarkus:dev} work on a machine without Docker, where Quarkus Dev Services cannot
 * start containers: in the dev profile only, it creates the local database and starts S3Proxy before the
 * datasource and S3 client read their configuration. Config is built several times per JVM (build
 * time, run time, each live reload, in different class loaders), so what was started is remembered in
 * system properties, which all of them share.
 */
public class DevServicesConfigSourceFactory implements ConfigSourceFactory {

    private static final Logger LOG = Logger.getLogger(DevServicesConfigSourceFactory.class);
    private static final String STARTED_ENDPOINT = "wharf-local.started-s3-endpoint";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev") || !"true".equals(value(context, "wharf.local-services.enabled").orElse("false"))) {
            return List.of();
        }
        synchronized (System.class) {
            Map<String, String> props = new HashMap<>();
            ensureDatabase(context);
            if (value(context, "quarkus.s3.endpoint-override").isEmpty()) {
                String bucket = value(context, "wharf.s3.bucket").orElse("wharf-files");
                props.put("quarkus.s3.endpoint-override", s3Endpoint(context, bucket));
            }
            return List.of(new PropertiesConfigSource(props, "wharf-dev-services", 200));
        }
    }

    private static void ensureDatabase(ConfigSourceContext context) {
        String url = value(context, "quarkus.datasource.jdbc.url").orElseThrow();
        if (System.getProperty("wharf-local.database-checked." + url) != null) {
            return;
        }
        LocalPostgres pg = LocalPostgres.forJdbcUrl(url, value(context, "quarkus.datasource.username").orElse("postgres"),
                value(context, "quarkus.datasource.password").orElse(""));
        String db = LocalPostgres.databaseName(url);
        if (pg.createIfMissing(db)) {
            LOG.infof("Created local database %s", db);
        }
        System.setProperty("wharf-local.database-checked." + url, "true");
    }

    private static String s3Endpoint(ConfigSourceContext context, String bucket) {
        String started = System.getProperty(STARTED_ENDPOINT);
        if (started != null) {
            return started;
        }
        Path projectDir = Path.of(System.getProperty("user.dir"));
        Path dataDir = projectDir.resolve("target/s3proxy-dev");
        killStale(dataDir.resolve("s3proxy.pid"));
        Path jar = locateJar(projectDir, value(context, "wharf.local-services.s3proxy-version").orElse("4.1.0"));
        S3ProxyProcess s3 = S3ProxyProcess.start(jar, dataDir);
        s3.createBucket(bucket);
        writePid(dataDir.resolve("s3proxy.pid"), s3.pid());
        Runtime.getRuntime().addShutdownHook(new Thread(s3::close, "s3proxy-stop"));
        System.setProperty(STARTED_ENDPOINT, s3.endpoint());
        LOG.infof("Started S3Proxy at %s (bucket %s, data in %s)", s3.endpoint(), bucket, dataDir);
        return s3.endpoint();
    }

    /** The jar the test build copies, else the local Maven repository, else fetched through the wrapper. */
    static Path locateJar(Path projectDir, String version) {
        Path copied = projectDir.resolve("target/s3proxy/s3proxy.jar");
        if (Files.isRegularFile(copied)) {
            return copied;
        }
        Path repo = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "gaul", "s3proxy", version,
                "s3proxy-" + version + "-jar-with-dependencies.jar");
        if (Files.isRegularFile(repo)) {
            return repo;
        }
        Path mvnw = projectDir.resolve("mvnw");
        if (Files.isExecutable(mvnw)) {
            LOG.info("Fetching S3Proxy from Maven Central");
            try {
                Process p = new ProcessBuilder(mvnw.toString(), "-q", "-B", "dependency:copy@fetch-s3proxy")
                        .directory(projectDir.toFile()).inheritIO().start();
                if (p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0 && Files.isRegularFile(copied)) {
                    return copied;
                }
            } catch (IOException e) {
                LOG.warn("Could not run the Maven wrapper", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new IllegalStateException("S3Proxy " + version + " is not available; run ./mvnw process-test-resources, "
                + "or set quarkus.s3.endpoint-override to an S3 server");
    }

    private static void killStale(Path pidFile) {
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid).filter(h -> h.info().commandLine().orElse("").contains("s3proxy"))
                        .ifPresent(ProcessHandle::destroy);
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("Ignoring unreadable S3Proxy pid file", e);
        }
    }

    private static void writePid(Path pidFile, long pid) {
        try {
            Files.writeString(pidFile, Long.toString(pid));
        } catch (IOException e) {
            LOG.debug("Could not write S3Proxy pid file", e);
        }
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? Optional.empty() : Optional.of(v.getValue());
    }
}
