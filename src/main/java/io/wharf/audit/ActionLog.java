package io.wharf.audit;

import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

import com.fasterxml.jackson.databind.JsonNode;

import io.wharf.common.Timestamped;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "action_logs")
public class ActionLog extends Timestamped {

    /** Wharf's values of action_type_enum (V5); the adapter service's own values stay in the type. */
    public enum Type {
        bma_transaction, connector_test, s3_file_migration
    }

    /** action_status_enum of seed 004. */
    public enum Status { pending, success, failure, timeout, retry }

    @Id
    @GeneratedValue
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.NAMED_ENUM)
    @Column(name = "action_type", nullable = false, columnDefinition = "action_type_enum")
    public Type actionType;

    @Column(name = "provider_name", nullable = false)
    public String providerName;

    @Mutability(Immutability.class)
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "request_payload", nullable = false)
    public JsonNode requestPayload;

    @Mutability(Immutability.class)
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "response_data")
    public JsonNode responseData;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.NAMED_ENUM)
    @Column(nullable = false, columnDefinition = "action_status_enum")
    public Status status;

    @Column(name = "error_message")
    public String errorMessage;

    @Column(name = "execution_time_ms", nullable = false)
    public int executionTimeMs;
}
