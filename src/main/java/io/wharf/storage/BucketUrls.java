package io.wharf.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wharf.common.net.LenientUrl;
import io.wharf.common.net.OutboundAddressPolicy;
import io.wharf.common.net.OwnEndpoint;

/**
 * Tells a URL of an object in Wharf's own bucket from any other URL, in every form S3 and
 * {@code generate_s3_url} write: virtual-hosted ({@code bucket.s3.amazonaws.com}, with a region, dashed or
 * dual-stack), path-style ({@code s3.amazonaws.com/bucket}), {@code s3://bucket/key}, the configured endpoint
 * (S3Proxy, MinIO) in either style, and presigned URLs of any of these (the query is ignored). A key is
 * only ever taken literally: one with empty, "." or ".." segments is no key Wharf writes, so it is refused.
 */
public final class BucketUrls {

    /** The areas of the bucket that hold a tenant's objects: {@code <area>/<tenant id>/...}. */
    public static final Set<String> TENANT_AREAS = Set.of("uploads", "ingest");

    /** bucket.s3[-fips][.dualstack][.region].amazonaws.com[.cn], and the older dashed forms. */
    private static final Pattern VIRTUAL_HOST = Pattern.compile("(.+?)\\.s3(?:[.-][a-z0-9-]+)*\\.amazonaws\\.com(?:\\.cn)?");
    private static final Pattern PATH_HOST = Pattern.compile("s3(?:[.-][a-z0-9-]+)*\\.amazonaws\\.com(?:\\.cn)?");

    private final String bucket;
    private final OwnEndpoint endpoint;

    public BucketUrls(String bucket, Optional<URI> endpoint) {
        this.bucket = bucket;
        this.endpoint = OwnEndpoint.of(endpoint).orElse(null);
    }

    /** What a URL names: an object of this bucket (its key), or something else. */
    public sealed interface Target permits Own, Other, Invalid {
    }

    public record Own(String key) implements Target {
    }

    /** Not this bucket: an http(s) URL to fetch later. */
    public record Other(URI uri) implements Target {
    }

    public record Invalid(String reason) implements Target {
    }

    public Target classify(String url) {
        URI u;
        try {
            u = LenientUrl.parse(url); // spaces, | { } ^ and non-ASCII letters escaped as a browser would
        } catch (URISyntaxException e) {
            return new Invalid("is not a valid URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        // "name." is the same host as "name"
        String host = u.getHost() == null ? null : OutboundAddressPolicy.withoutTrailingDot(u.getHost().toLowerCase(Locale.ROOT));
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        if (scheme.equals("s3")) {
            if (!bucket.equals(u.getRawAuthority())) {
                return new Invalid(
                        "names another S3 bucket (" + u.getRawAuthority() + "); only objects of Wharf's bucket or http(s) URLs can be used");
            }
            return key(path);
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return new Invalid("must be an http or https URL");
        }
        if (host == null || host.isEmpty()) {
            return new Invalid("has no host");
        }
        if (u.getRawUserInfo() != null) {
            return new Invalid("must not carry a user name or password");
        }
        Matcher vh = VIRTUAL_HOST.matcher(host);
        if (vh.matches() && vh.group(1).equals(bucket)) {
            return key(path);
        }
        if (PATH_HOST.matcher(host).matches() && path.startsWith("/" + bucket + "/")) {
            return key(path.substring(bucket.length() + 1));
        }
        if (endpoint != null && OwnEndpoint.port(u) == endpoint.port() && host.equals(bucket + "." + endpoint.host())) {
            return key(path);
        }
        if (endpoint != null && endpoint.reachedAsWritten(u)) {
            // any spelling of the endpoint's host (name, address, IPv6 form, localhost): the bucket's object or nothing,
            // never a file fetched without credentials; names that only a lookup ties to it are refused by the outbound policy
            if (host.startsWith(bucket + ".") || path.startsWith("/" + bucket + "/")) {
                return key(host.startsWith(bucket + ".") ? path : path.substring(bucket.length() + 1));
            }
            return new Invalid("names Wharf's own S3 endpoint but no object of Wharf's bucket");
        }
        if (host.endsWith(".amazonaws.com") && (host.contains(bucket) || path.startsWith("/" + bucket + "/"))) {
            // some other spelling of Wharf's own bucket: never to be fetched as an outside URL (with Wharf's credentials)
            return new Invalid("names Wharf's bucket in a form Wharf does not read; use https://" + bucket + ".s3.amazonaws.com/<key>");
        }
        return new Other(u);
    }

    /** The URL a files row keeps for an object of this bucket: the form generate_s3_url writes. */
    public String canonical(String key) {
        return "https://" + bucket + ".s3.amazonaws.com/" + key;
    }

    /** Whether the key lies in the given tenant's part of the bucket. */
    public static boolean ownedBy(String key, UUID tenant) {
        int slash = key.indexOf('/');
        return slash > 0 && TENANT_AREAS.contains(key.substring(0, slash)) && key.startsWith(tenant + "/", slash + 1);
    }

    private static Target key(String rawPath) {
        String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        String key;
        try {
            key = URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Invalid("has a broken percent-escape in its path");
        }
        if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > 1024) {
            return new Invalid("names no object key");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return new Invalid("names an object key with an empty, '.' or '..' segment");
            }
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return new Invalid("names an object key with control characters");
        }
        return new Own(key);
    }
}
