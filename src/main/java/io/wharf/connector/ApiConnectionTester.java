package io.wharf.connector;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

import io.wharf.common.net.OutboundAddressPolicy;
import io.wharf.common.net.OutboundConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends GET to an API profile's URL with its credentials (token as Bearer, or username/password as
 * Basic), connecting to the address the policy vetted. Redirects are followed by hand, at most three,
 * each target checked like the first; the credentials go only to the origin the tenant gave, and a
 * redirect from https to http is refused, since following it would send the request in clear text.
 * One deadline covers the whole test, redirects included.
 */
@ApplicationScoped
public class ApiConnectionTester {

    private static final int MAX_REDIRECTS = 3;

    private final OutboundAddressPolicy policy;
    private final int timeoutSeconds;
    private final int maxBodyBytes;

    ApiConnectionTester(OutboundAddressPolicy policy, OutboundConfig config) {
        this.policy = policy;
        this.timeoutSeconds = config.timeoutSeconds();
        this.maxBodyBytes = config.maxResponseBytes();
    }

    public ConnectionTestResult test(UUID tenant, String url, Map<String, Object> credentials) {
        long started = System.nanoTime();
        long deadline = started + timeoutSeconds * 1_000_000_000L;
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            return ConnectionTestResult.of(ConnectionTestResult.FAILED, "connection_string is not a URL", started, "http", Map.of());
        }
        Optional<String> authorization = authorization(credentials);
        if (authorization.isPresent() && !authorization.get().chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return ConnectionTestResult.of(ConnectionTestResult.FAILED, "the token may only contain printable ASCII characters", started, "http",
                    Map.of());
        }
        URI origin = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Map<String, Object> where = new LinkedHashMap<>();
            where.put("url", origin(uri));
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                return ConnectionTestResult.of(ConnectionTestResult.FAILED, "only http and https URLs can be tested", started, "http", where);
            }
            if (uri.getHost() == null) {
                return ConnectionTestResult.of(ConnectionTestResult.FAILED, "the URL names no valid host", started, "http", where);
            }
            if (uri.getPort() == 0 || uri.getPort() > 65535) {
                return ConnectionTestResult.of(ConnectionTestResult.FAILED, "the port must be a number from 1 to 65535", started, "http", where);
            }
            if (System.nanoTime() >= deadline) {
                return timeout(uri, started, where);
            }
            InetAddress address;
            try {
                address = policy.resolve(uri.getHost().replaceAll("^\\[|\\]$", ""), tenant, deadline);
            } catch (OutboundAddressPolicy.TimedOut e) {
                return timeout(uri, started, where);
            } catch (OutboundAddressPolicy.Refused e) {
                return ConnectionTestResult.of(ConnectionTestResult.FAILED, "refused: " + e.getMessage(), started, "http", where);
            }
            PinnedHttpGet.Response response;
            try {
                response = PinnedHttpGet.get(uri, address, sameOrigin(uri, origin) ? authorization.orElse(null) : null, deadline, maxBodyBytes,
                        tls());
            } catch (PinnedHttpGet.DeadlineExceeded e) {
                return timeout(uri, started, where);
            } catch (SSLException e) {
                return ConnectionTestResult.of(ConnectionTestResult.FAILED, "TLS with " + uri.getHost() + " failed (untrusted certificate, "
                        + "or not one for this name)", started, "http", where);
            } catch (IOException e) {
                return ConnectionTestResult.of(ConnectionTestResult.FAILED, "could not connect to " + uri.getHost() + ": " + describe(e),
                        started, "http", where);
            } catch (RuntimeException e) {
                // a URL or answer the JDK's sockets cannot take is the tenant's failed test, never a server error
                return ConnectionTestResult.of(ConnectionTestResult.FAILED, "could not connect to " + uri.getHost() + " ("
                        + e.getClass().getSimpleName() + ")", started, "http", where);
            }
            int status = response.status();
            if (status >= 300 && status < 400 && response.location() != null) {
                URI next;
                try {
                    next = uri.resolve(new URI(response.location()));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    return ConnectionTestResult.of(ConnectionTestResult.FAILED, "HTTP " + status + " with an invalid Location", started, "http",
                            where);
                }
                if (isDowngrade(uri, next)) {
                    return ConnectionTestResult.of(ConnectionTestResult.FAILED, "refused: a redirect from https to http", started, "http", where);
                }
                uri = next;
                continue;
            }
            if (status >= 200 && status < 300) {
                return ConnectionTestResult.of(ConnectionTestResult.SUCCESS, "HTTP " + status + " from " + uri.getHost(), started, "http", where);
            }
            String why = status == 401 || status == 403 ? "the API rejected the credentials (HTTP " + status + ")"
                    : "HTTP " + status + " from " + uri.getHost();
            return ConnectionTestResult.of(ConnectionTestResult.FAILED, why, started, "http", where);
        }
        return ConnectionTestResult.of(ConnectionTestResult.FAILED, "more than " + MAX_REDIRECTS + " redirects", started, "http", Map.of());
    }

    private ConnectionTestResult timeout(URI uri, long started, Map<String, Object> where) {
        return ConnectionTestResult.of(ConnectionTestResult.TIMEOUT, "no complete answer from " + uri.getHost() + " within " + timeoutSeconds
                + " s", started, "http", where);
    }

    /** Scheme, host and port as RFC 6454 compares them, the default port spelled or not. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    static boolean isDowngrade(URI from, URI to) {
        return "https".equalsIgnoreCase(from.getScheme()) && !"https".equalsIgnoreCase(to.getScheme());
    }

    private static int port(URI u) {
        return u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static SSLSocketFactory tls() throws SSLException {
        try {
            return SSLContext.getDefault().getSocketFactory();
        } catch (NoSuchAlgorithmException e) {
            throw new SSLException("no TLS available", e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e.getClass() == IOException.class) {
            return e.getMessage(); // PinnedHttpGet's own words about a broken answer
        }
        return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    private static Optional<String> authorization(Map<String, Object> credentials) {
        if (credentials == null) {
            return Optional.empty();
        }
        if (credentials.get("token") != null) {
            return Optional.of("Bearer " + credentials.get("token"));
        }
        if (credentials.get("username") != null) {
            String pair = credentials.get("username") + ":" + (credentials.get("password") == null ? "" : credentials.get("password"));
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
    }

    /**
     * Where the test went, for the answer and the action log: scheme, host and port only. Paths and
     * queries of webhook-style URLs often carry the secret itself, and user info is a password.
     */
    static String origin(URI uri) {
        return (uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT) + "://") + (uri.getHost() == null ? "" : uri.getHost())
                + (uri.getHost() == null ? "" : ":" + (uri.getPort() != -1 ? uri.getPort() : port(uri)));
    }
}
