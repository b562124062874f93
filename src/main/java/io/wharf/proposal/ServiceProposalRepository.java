package io.wharf.proposal;

import io.wharf.common.document.DocumentRepository;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ServiceProposalRepository extends DocumentRepository<ServiceProposal> {

    @Override
    protected Class<ServiceProposal> entityClass() {
        return ServiceProposal.class;
    }

    @Override
    protected java.util.function.Supplier<ServiceProposal> factory() {
        return ServiceProposal::new;
    }

    @Override
    protected String table() {
        return "service_proposals";
    }

    @Override
    protected String idColumn() {
        return "proposal_id";
    }

    @Override
    protected String dataColumn() {
        return "proposal_data";
    }
}
