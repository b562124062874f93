package io.wharf.connector;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.wharf.audit.ActionLog;
import io.wharf.audit.ActionLogService;
import io.wharf.common.Actor;
import io.wharf.common.crypto.SecretCipher;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.document.DocumentService;
import io.wharf.document.DocumentStore;
import io.wharf.document.DocumentType;
import io.wharf.document.ETags;
import io.wharf.document.ListFilter;
import io.wharf.document.StoredDocument;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Connector profiles, whose connection_string and credentials are stored only encrypted, and their
 * connection tests, which talk to the outside world outside any database transaction.
 */
@ApplicationScoped
public class ConnectorService extends DocumentService<ConnectorProfileRequest> {

    public static final DocumentType TYPE = new DocumentType("connector_profiles", "id", "profile_data", "id", "connector_profile",
            "Connector profile", "/connector/profiles", List.of(ListFilter.oneOf("type", ConnectorProfileRequest.ConnectorType.class),
                    ListFilter.text("name"), ListFilter.text("test_status")));

    static final String MASK = "********";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final SecretCipher cipher;
    private final SqlConnectionTester sql;
    private final ApiConnectionTester api;
    private final ActionLogService actions;
    private final ConnectionTestLimiter limiter;

    ConnectorService(DocumentStore store, ObjectMapper mapper, SecretCipher cipher, SqlConnectionTester sql, ApiConnectionTester api,
            ActionLogService actions, ConnectionTestLimiter limiter) {
        super(TYPE, store, mapper);
        this.cipher = cipher;
        this.sql = sql;
        this.api = api;
        this.actions = actions;
        this.limiter = limiter;
    }

    @Override
    protected ObjectNode onCreate(UUID tenantId, String id, ObjectNode data) {
        return sealed(tenantId, id, data);
    }

    /** A replaced profile is untested again: its earlier result was about other connection details. */
    @Override
    protected ObjectNode onReplace(UUID tenantId, String id, ObjectNode current, ObjectNode requested) {
        return sealed(tenantId, id, requested);
    }

    /** Really connects, outside any transaction, then records the result on the profile it tested and in action_logs. */
    public ConnectionTestResult test(UUID tenant, Actor actor, String id) {
        StoredDocument stored = store.get(TYPE, tenant, id);
        ObjectNode profile = stored.data(mapper);
        String type = profile.path("type").asText();
        if (ConnectorProfileRequest.ConnectorType.excel.name().equals(type)) {
            throw new WharfException(ErrorCode.BAD_REQUEST, "Profiles of type excel have no connection to test.");
        }
        String connection = secret(tenant, id, profile, "connection_string");
        ConnectionTestResult result;
        try {
            Map<String, Object> credentials = credentials(tenant, id, profile);
            try (ConnectionTestLimiter.Permit permit = limiter.acquire(tenant)) {
                result = "sql".equals(type) ? sql.test(tenant, connection, credentials) : api.test(tenant, connection, credentials);
            }
        } catch (NotAnObject e) {
            // adopted from seed 003, which stored whatever it was sent
            result = ConnectionTestResult.of(ConnectionTestResult.FAILED, e.getMessage(), System.nanoTime(), "sql".equals(type) ? "postgresql"
                    : "http", Map.of());
        }
        recordResult(tenant, actor, id, stored.version(), result);
        actions.record(new ActionLogService.Entry(tenant, ActionLog.Type.connector_test, result.provider(),
                Map.of("profile_id", id, "type", type, "target", result.target()),
                Map.of("status", result.status(), "message", result.message(), "latency_ms", result.latency_ms()),
                switch (result.status()) {
                    case ConnectionTestResult.SUCCESS -> ActionLog.Status.success;
                    case ConnectionTestResult.TIMEOUT -> ActionLog.Status.timeout;
                    default -> ActionLog.Status.failure;
                }, ConnectionTestResult.SUCCESS.equals(result.status()) ? null : result.message(), result.latency_ms()));
        return result;
    }

    /** The profile as a client sees it: secrets masked, keeping the credential field names. */
    @Override
    public StoredDocument view(UUID tenantId, StoredDocument doc) {
        if (!doc.text().contains("\"connection_string\"") && !doc.text().contains("\"credentials\"")) {
            return doc;
        }
        ObjectNode data = doc.data(mapper);
        if (!data.hasNonNull("connection_string") && !data.hasNonNull("credentials")) {
            return doc;
        }
        ObjectNode stored = data.deepCopy();
        if (data.hasNonNull("connection_string")) {
            data.put("connection_string", MASK);
        }
        if (data.hasNonNull("credentials")) {
            ObjectNode masked = data.putObject("credentials");
            try {
                credentials(tenantId, doc.id(), stored).keySet().forEach(k -> masked.put(k, MASK));
            } catch (RuntimeException undecryptable) {
                data.put("credentials", MASK);
            }
        }
        return doc.withText(data.toString());
    }

    private void recordResult(UUID tenant, Actor actor, String id, long testedVersion, ConnectionTestResult result) {
        try {
            QuarkusTransaction.requiringNew().run(() -> store.replace(TYPE, tenant, actor, id, ETags.of(testedVersion), "test", data -> {
                LegacySecrets.seal(data, tenant, id, cipher);
                data.put("test_status", ConnectionTestResult.SUCCESS.equals(result.status()) ? "success" : "failed");
                data.put("last_tested", result.tested_at().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
                if (ConnectionTestResult.SUCCESS.equals(result.status())) {
                    data.remove("test_error");
                } else {
                    data.put("test_error", result.message());
                }
                return data;
            }));
        } catch (WharfException changedMeanwhile) {
            // replaced, deleted or tested again while it was being tested: this result is about a version that is gone,
            // and this caller still gets its own answer
        }
    }

    /** The secrets a request sent, encrypted under the profile's own context before they are stored. */
    private ObjectNode sealed(UUID tenant, String id, ObjectNode data) {
        JsonNode connection = data.get("connection_string");
        if (connection != null && !connection.isNull()) {
            data.put("connection_string", cipher.encrypt(connection.asText(), context(tenant, id, "connection_string")));
        }
        JsonNode credentials = data.get("credentials");
        if (credentials != null && !credentials.isNull()) {
            data.put("credentials", cipher.encrypt(credentials.toString(), context(tenant, id, "credentials")));
        }
        return data;
    }

    private String secret(UUID tenant, String id, ObjectNode profile, String field) {
        JsonNode stored = profile.get(field);
        if (stored == null || stored.isNull()) {
            return null;
        }
        // a profile adopted from seed 003's service may still hold it in plain text until LegacySecretSealer gets to it
        return LegacySecrets.isPlain(stored) ? LegacySecrets.plainText(stored) : cipher.decrypt(stored.textValue(), context(tenant, id, field));
    }

    private Map<String, Object> credentials(UUID tenant, String id, ObjectNode profile) {
        String json = secret(tenant, id, profile, "credentials");
        if (json == null) {
            return Map.of();
        }
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new NotAnObject();
        }
        if (node == null || !node.isObject()) {
            throw new NotAnObject();
        }
        return mapper.convertValue(node, MAP);
    }

    /** Stored credentials that Wharf could not have written: not a JSON object. */
    private static final class NotAnObject extends RuntimeException {
        NotAnObject() {
            super("credentials must be an object with username and password, or token", null, false, false);
        }
    }

    static String context(UUID tenant, String id, String field) {
        return "connector_profiles/" + tenant + "/" + id + "/" + field;
    }
}
