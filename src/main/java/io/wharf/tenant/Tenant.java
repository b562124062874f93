package io.wharf.tenant;

import java.util.Map;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.wharf.common.Timestamped;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "tenants")
public class Tenant extends Timestamped {

    @Id
    @GeneratedValue
    public UUID id;

    @Column(nullable = false)
    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "provider_configs", nullable = false)
    public Map<String, Object> providerConfigs = Map.of();

    @Column(name = "is_active", nullable = false)
    public boolean active = true;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metadata;
}
