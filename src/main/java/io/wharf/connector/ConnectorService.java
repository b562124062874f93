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
import io.wharf.audit.AuditService;
import io.wharf.common.crypto.SecretCipher;
import io.wharf.common.document.DocumentIds;
import io.wharf.common.document.DocumentRepository;
import io.wharf.common.document.DocumentStore;
import io.wharf.common.document.ETags;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.web.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Connector profiles, whose connection_string and credentials are stored only encrypted, and their
 * connection tests, which talk to the outside world outside any database transaction.
 */
@ApplicationScoped
public class ConnectorService {

    static final String MASK = "********";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final DocumentStore<ConnectorProfile> store;
    private final CurrentCaller caller;
    private final ObjectMapper mapper;
    private final SecretCipher cipher;
    private final SqlConnectionTester sql;
    private final ApiConnectionTester api;
    private final ActionLogService actions;
    private final ConnectionTestLimiter limiter;

    ConnectorService(ConnectorProfileRepository repository, AuditService audit, CurrentCaller caller, ObjectMapper mapper,
            SecretCipher cipher, SqlConnectionTester sql, ApiConnectionTester api, ActionLogService actions, ConnectionTestLimiter limiter) {
        this.store = new DocumentStore<>(repository, audit, ConnectorProfile::new, "connector_profile", "Connector profile");
        this.caller = caller;
        this.mapper = mapper;
        this.cipher = cipher;
        this.sql = sql;
        this.api = api;
        this.actions = actions;
        this.limiter = limiter;
    }

    @Transactional
    public ConnectorProfile create(ConnectorProfileRequest request) {
        String id = DocumentIds.resolve("id", request.id(), null);
        return store.create(caller.tenantId(), id, data(caller.tenantId(), id, request));
    }

    public ConnectorProfile get(String id) {
        return store.get(caller.tenantId(), id);
    }

    public List<ConnectorProfile> list(DocumentRepository.ListQuery query) {
        return store.list(caller.tenantId(), query);
    }

    /** A replaced profile is untested again: its earlier result was about other connection details. */
    @Transactional
    public ConnectorProfile replace(String id, String ifMatch, ConnectorProfileRequest request) {
        DocumentIds.resolve("id", request.id(), id);
        return store.replace(caller.tenantId(), id, ifMatch, data(caller.tenantId(), id, request));
    }

    @Transactional
    public void delete(String id, String ifMatch) {
        store.delete(caller.tenantId(), id, ifMatch);
    }

    public ConnectionTestResult test(String id) {
        UUID tenant = caller.tenantId();
        ConnectorProfile profile = store.get(tenant, id);
        String type = profile.data.path("type").asText();
        if (ConnectorProfileRequest.ConnectorType.excel.name().equals(type)) {
            throw new WharfException(ErrorCode.BAD_REQUEST, "Profiles of type excel have no connection to test.");
        }
        String connection = secret(profile, "connection_string");
        ConnectionTestResult result;
        try {
            Map<String, Object> credentials = credentials(profile);
            try (ConnectionTestLimiter.Permit permit = limiter.acquire(tenant)) {
                result = "sql".equals(type) ? sql.test(connection, credentials) : api.test(connection, credentials);
            }
        } catch (NotAnObject e) {
            // adopted from seed 003, which stored whatever it was sent
            result = ConnectionTestResult.of(ConnectionTestResult.FAILED, e.getMessage(), System.nanoTime(), "sql".equals(type) ? "postgresql"
                    : "http", Map.of());
        }
        recordResult(tenant, id, profile.version, result);
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
    public ObjectNode view(ConnectorProfile p) {
        if (!p.data.hasNonNull("connection_string") && !p.data.hasNonNull("credentials")) {
            return p.data;
        }
        ObjectNode data = p.data.deepCopy();
        if (data.hasNonNull("connection_string")) {
            data.put("connection_string", MASK);
        }
        if (data.hasNonNull("credentials")) {
            ObjectNode masked = data.putObject("credentials");
            try {
                credentials(p).keySet().forEach(k -> masked.put(k, MASK));
            } catch (RuntimeException undecryptable) {
                data.put("credentials", MASK);
            }
        }
        return data;
    }

    private void recordResult(UUID tenant, String id, long testedVersion, ConnectionTestResult result) {
        try {
            QuarkusTransaction.requiringNew().run(() -> store.replace(tenant, id, ETags.of(testedVersion), "test", data -> {
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
            // replaced or deleted while it was being tested: the result is about details that are gone
        } catch (jakarta.persistence.PersistenceException concurrentResult) {
            // another test of the same version recorded its result first (the version check failed on update);
            // that result is as current as this one, and this caller still gets its own answer
        }
    }

    private ObjectNode data(UUID tenant, String id, ConnectorProfileRequest request) {
        ObjectNode data = mapper.valueToTree(request);
        data.remove("id");
        if (request.connection_string() != null) {
            data.put("connection_string", cipher.encrypt(request.connection_string(), context(tenant, id, "connection_string")));
        }
        if (request.credentials() != null) {
            try {
                data.put("credentials", cipher.encrypt(mapper.writeValueAsString(request.credentials()), context(tenant, id, "credentials")));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return data;
    }

    private String secret(ConnectorProfile p, String field) {
        JsonNode stored = p.data.get(field);
        if (stored == null || stored.isNull()) {
            return null;
        }
        // a profile adopted from seed 003's service may still hold it in plain text until LegacySecretSealer gets to it
        return LegacySecrets.isPlain(stored) ? LegacySecrets.plainText(stored)
                : cipher.decrypt(stored.textValue(), context(p.tenantId, p.id, field));
    }

    private Map<String, Object> credentials(ConnectorProfile p) {
        String json = secret(p, "credentials");
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
