package io.wharf.clientconfig;

import io.wharf.common.document.Document;
import io.wharf.common.document.DocumentKey;
import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

@Entity
@Table(name = "client_configs")
@IdClass(DocumentKey.class)
@AttributeOverride(name = "id", column = @Column(name = "client_id"))
@AttributeOverride(name = "data", column = @Column(name = "config_data", nullable = false))
public class ClientConfig extends Document {
}
