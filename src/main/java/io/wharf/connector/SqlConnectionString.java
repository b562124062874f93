package io.wharf.connector;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the three connection-string forms tenants use into typed fields, decoding each field once and
 * then holding it to the characters PostgreSQL names need: whatever a tenant writes, a database or user
 * name never carries '?', '&', '=' or '%' that a driver could read as more parameters.
 */
final class SqlConnectionString {

    record Target(String host, int port, String database, String user, String password, String sslmode) {
    }

    /** Letters, digits, '_', '.', '-', '$', at most 63 bytes like PostgreSQL's NAMEDATALEN. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.$-]{1,63}");
    private static final Pattern HOST_NAME = Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    private SqlConnectionString() {
    }

    static Target parse(String cs, Map<String, Object> credentials) {
        if (cs == null || cs.isBlank()) {
            throw new IllegalArgumentException("the profile has no connection_string");
        }
        String s = cs.trim();
        Map<String, String> kv;
        if (s.startsWith("jdbc:postgresql://") || s.startsWith("postgresql://") || s.startsWith("postgres://")) {
            kv = fromUri(s.startsWith("jdbc:") ? s.substring(5) : s);
        } else if (s.contains(";") && s.contains("=")) {
            throw new IllegalArgumentException("this looks like a SQL Server (ADO.NET) connection string; only PostgreSQL connections "
                    + "can be tested (jdbc:postgresql://, postgresql:// or host=... dbname=...)");
        } else if (s.matches("(?s)\\s*[A-Za-z_]+\\s*=.*")) {
            kv = fromKeywords(s);
        } else {
            throw new IllegalArgumentException("unrecognised connection string; use jdbc:postgresql://host:port/db, "
                    + "postgresql://user@host/db or 'host=... dbname=...'");
        }
        String host = host(kv.get("host"));
        int port = port(kv.get("port"));
        // no user given: "postgres", never this machine's account name or PGUSER, which the driver would use
        String user = credential(credentials, "username", kv.get("user"));
        user = user == null || user.isEmpty() ? "postgres" : user;
        String password = credential(credentials, "password", kv.get("password"));
        String database = kv.get("dbname") == null || kv.get("dbname").isEmpty() ? user : kv.get("dbname");
        name("database", database);
        name("user", user);
        String sslmode = kv.get("sslmode");
        if (sslmode != null && !SSL_MODES.contains(sslmode)) {
            throw new IllegalArgumentException("sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full");
        }
        return new Target(host, port, database, user, password, sslmode);
    }

    private static Map<String, String> fromUri(String s) {
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the connection string is not a valid URI");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the connection string names no valid host (several hosts are not supported)");
        }
        Map<String, String> kv = new HashMap<>();
        kv.put("host", uri.getHost());
        if (uri.getPort() >= 0) {
            kv.put("port", Integer.toString(uri.getPort()));
        } else if (uri.getRawAuthority().endsWith(":")) {
            kv.put("port", ""); // "host:" names no port
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.length() > 1) {
            kv.put("dbname", decode(path.substring(1)));
        }
        if (uri.getRawUserInfo() != null) {
            String[] up = uri.getRawUserInfo().split(":", 2);
            kv.put("user", decode(up[0]));
            if (up.length > 1) {
                kv.put("password", decode(up[1]));
            }
        }
        if (uri.getRawQuery() != null) {
            for (String p : uri.getRawQuery().split("&")) {
                String[] pair = p.split("=", 2);
                String key = decode(pair[0]);
                if (Set.of("user", "password", "sslmode").contains(key)) {
                    kv.putIfAbsent(key, pair.length > 1 ? decode(pair[1]) : "");
                }
            }
        }
        return kv;
    }

    /** libpq's keyword=value form: values may be single-quoted, with \' and \\ inside quotes. */
    private static Map<String, String> fromKeywords(String s) {
        Map<String, String> kv = new HashMap<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return kv;
            }
            int keyStart = i;
            while (i < n && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            String key = s.substring(keyStart, i).toLowerCase(Locale.ROOT);
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (key.isEmpty() || i >= n || s.charAt(i) != '=') {
                throw new IllegalArgumentException("the connection string is not a list of keyword=value pairs");
            }
            i++;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '\'') {
                i++;
                while (i < n && s.charAt(i) != '\'') {
                    if (s.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(s.charAt(i++));
                }
                if (i >= n) {
                    throw new IllegalArgumentException("unterminated quoted value in the connection string");
                }
                i++;
            } else {
                while (i < n && !Character.isWhitespace(s.charAt(i))) {
                    value.append(s.charAt(i++));
                }
            }
            if (Set.of("host", "port", "dbname", "user", "password", "sslmode").contains(key)) {
                kv.put(key, value.toString());
            }
        }
    }

    private static String host(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the connection string names no host");
        }
        if (host.startsWith("[") && host.endsWith("]") && IPV6.matcher(host.substring(1, host.length() - 1)).matches()) {
            return host.substring(1, host.length() - 1);
        }
        if (HOST_NAME.matcher(host).matches() || IPV6.matcher(host).matches() && host.contains(":")) {
            return host;
        }
        throw new IllegalArgumentException("the host must be a host name or an IP address (one host; letters, digits, '-' and '.')");
    }

    private static int port(String port) {
        if (port == null) {
            return 5432;
        }
        if (PORT.matcher(port).matches()) {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        }
        throw new IllegalArgumentException("the port must be a number from 1 to 65535");
    }

    private static void name(String what, String value) {
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("the " + what + " name may only contain letters, digits, '_', '.', '-' and '$' "
                    + "(at most 63)");
        }
    }

    private static String credential(Map<String, Object> credentials, String name, String fallback) {
        Object v = credentials == null ? null : credentials.get(name);
        return v == null ? fallback : v.toString();
    }

    /** Percent-decoding as URIs define it ('+' stays '+'), once. */
    private static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            int c = s.codePointAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("the connection string has a malformed %-escape");
                }
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(c) - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
