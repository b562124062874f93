package io.wharf.connector;

import io.wharf.common.document.DocumentRepository;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ConnectorProfileRepository extends DocumentRepository<ConnectorProfile> {

    @Override
    protected Class<ConnectorProfile> entityClass() {
        return ConnectorProfile.class;
    }

    @Override
    protected java.util.function.Supplier<ConnectorProfile> factory() {
        return ConnectorProfile::new;
    }

    @Override
    protected String table() {
        return "connector_profiles";
    }

    @Override
    protected String idColumn() {
        return "id";
    }

    @Override
    protected String dataColumn() {
        return "profile_data";
    }
}
