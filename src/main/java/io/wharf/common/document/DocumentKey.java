package io.wharf.common.document;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** Documents are keyed by (tenant, id): two tenants may use the same id without learning of each other. */
public class DocumentKey implements Serializable {

    public UUID tenantId;
    public String id;

    public DocumentKey() {
    }

    public DocumentKey(UUID tenantId, String id) {
        this.tenantId = tenantId;
        this.id = id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DocumentKey k && Objects.equals(tenantId, k.tenantId) && Objects.equals(id, k.id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tenantId, id);
    }
}
