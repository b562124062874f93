package io.wharf.connector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.wharf.common.WharfConfig;
import io.wharf.common.net.OutboundAddressPolicy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends GET to an API profile's URL with its credentials (token as Bearer, or username/password as
 * Basic). Redirects are followed by hand, at most three, each target checked like the first.
 */
@ApplicationScoped
public class ApiConnectionTester {

    private static final int MAX_REDIRECTS = 3;

    private final OutboundAddressPolicy policy;
    private final Duration timeout;
    private final HttpClient client;

    ApiConnectionTester(OutboundAddressPolicy policy, WharfConfig config) {
        this.policy = policy;
        this.timeout = Duration.ofSeconds(config.outbound().timeoutSeconds());
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public ConnectionTestResult test(String url, Map<String, Object> credentials) {
        long started = System.nanoTime();
        URI uri;
        try {
            uri = URI.create(url == null ? "" : url.trim());
        } catch (IllegalArgumentException e) {
            return ConnectionTestResult.of(ConnectionTestResult.FAILED, "connection_string is not a URL", started, "http", Map.of());
        }
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Map<String, Object> where = new LinkedHashMap<>();
            where.put("url", withoutUserInfo(uri));
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                return ConnectionTestResult.of(ConnectionTestResult.FAILED, "only http and https URLs can be tested", started, "http", where);
            }
            try {
                policy.resolve(uri.getHost());
            } catch (OutboundAddressPolicy.Refused e) {
                return ConnectionTestResult.of(ConnectionTestResult.FAILED, "refused: " + e.getMessage(), started, "http", where);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET().header("User-Agent", "wharf-connection-test");
            authorization(credentials).ifPresent(h -> request.header("Authorization", h));
            HttpResponse<Void> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            } catch (HttpTimeoutException e) {
                return ConnectionTestResult.of(ConnectionTestResult.TIMEOUT, "no answer from " + uri.getHost() + " within " + timeout.toSeconds() + " s",
                        started, "http", where);
            } catch (IOException e) {
                return ConnectionTestResult.of(ConnectionTestResult.FAILED, "could not connect to " + uri.getHost() + ": " + e.getClass().getSimpleName()
                        .replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(), started, "http", where);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ConnectionTestResult.of(ConnectionTestResult.FAILED, "interrupted", started, "http", where);
            }
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                uri = uri.resolve(response.headers().firstValue("Location").get());
                continue;
            }
            if (status >= 200 && status < 300) {
                return ConnectionTestResult.of(ConnectionTestResult.SUCCESS, "HTTP " + status + " from " + uri.getHost(), started, "http", where);
            }
            String why = status == 401 || status == 403 ? "the API rejected the credentials (HTTP " + status + ")" : "HTTP " + status + " from " + uri.getHost();
            return ConnectionTestResult.of(ConnectionTestResult.FAILED, why, started, "http", where);
        }
        return ConnectionTestResult.of(ConnectionTestResult.FAILED, "more than " + MAX_REDIRECTS + " redirects", started, "http", Map.of());
    }

    private static java.util.Optional<String> authorization(Map<String, Object> credentials) {
        if (credentials == null) {
            return java.util.Optional.empty();
        }
        if (credentials.get("token") != null) {
            return java.util.Optional.of("Bearer " + credentials.get("token"));
        }
        if (credentials.get("username") != null) {
            String pair = credentials.get("username") + ":" + (credentials.get("password") == null ? "" : credentials.get("password"));
            return java.util.Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return java.util.Optional.empty();
    }

    private static String withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (java.net.URISyntaxException e) {
            return uri.getHost();
        }
    }
}
