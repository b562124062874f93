package io.wharf.connector;

import io.wharf.common.document.Document;
import io.wharf.common.document.DocumentKey;
import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

@Entity
@Table(name = "connector_profiles")
@IdClass(DocumentKey.class)
@AttributeOverride(name = "data", column = @Column(name = "profile_data", nullable = false))
public class ConnectorProfile extends Document {
}
