package io.wharf.proposal;

import io.wharf.common.document.Document;
import io.wharf.common.document.DocumentKey;
import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

@Entity
@Table(name = "service_proposals")
@IdClass(DocumentKey.class)
@AttributeOverride(name = "id", column = @Column(name = "proposal_id"))
@AttributeOverride(name = "data", column = @Column(name = "proposal_data", nullable = false))
public class ServiceProposal extends Document {
}
