package io.wharf.audit;

import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

import com.fasterxml.jackson.databind.JsonNode;

import io.wharf.common.Actor;
import io.wharf.common.Timestamped;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "audit_logs")
public class AuditLog extends Timestamped {

    @Id
    @GeneratedValue
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;

    @Column(name = "user_id")
    public String userId;

    /** Who wrote the row (V11, V12): user_id is what a client chose to send as X-User-Id, so only this tells a client from Wharf. */
    @Enumerated(EnumType.STRING)
    @Column(name = "actor_type", nullable = false)
    public Actor.Kind actorType = Actor.Kind.client;

    @Column(name = "api_key_prefix")
    public String apiKeyPrefix;

    @Column(nullable = false)
    public String action;

    @Column(name = "resource_type", nullable = false)
    public String resourceType;

    @Column(name = "resource_id", nullable = false)
    public String resourceId;

    @Mutability(Immutability.class)
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode changes;

    @Column(name = "ip_address")
    public String ipAddress;

    @Column(name = "user_agent")
    public String userAgent;
}
