package io.wharf.common.document;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.descriptor.java.Immutability;
import org.hibernate.generator.EventType;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;

/**
 * A JSONB document of seed 003's tables. Subclasses name their id and data columns; the database keeps
 * created_at (default) and updated_at (trigger), and Hibernate the version. {@code data} is declared
 * immutable: a change assigns a new tree, so Hibernate need not snapshot every loaded document (it did so
 * by Java serialization, which cost more than the rest of a GET together).
 */
@MappedSuperclass
public abstract class Document {

    @Id
    @Column(name = "tenant_id")
    public UUID tenantId;

    @Id
    public String id;

    @Mutability(Immutability.class)
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public ObjectNode data;

    /** New documents are version 1, as the column default makes adopted rows. */
    @Version
    public long version = 1;

    /** The stored data as PostgreSQL printed it, on documents read by plain SQL; responses copy it as it is. */
    @Transient
    private String storedText;

    /** The tree parsed from storedText: once data is another tree, the text no longer describes it. */
    @Transient
    private ObjectNode storedTree;

    @Generated(event = EventType.INSERT)
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Generated(event = { EventType.INSERT, EventType.UPDATE })
    @Column(name = "updated_at", insertable = false, updatable = false)
    public OffsetDateTime updatedAt;

    void loadedFrom(String text, ObjectNode tree) {
        storedText = text;
        storedTree = tree;
        data = tree;
    }

    /** PostgreSQL's text of {@code data}, or null when data was not read that way or has been replaced since. */
    public String storedText() {
        return data != null && data == storedTree ? storedText : null;
    }
}
