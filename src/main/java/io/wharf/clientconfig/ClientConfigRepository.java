package io.wharf.clientconfig;

import io.wharf.common.document.DocumentRepository;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ClientConfigRepository extends DocumentRepository<ClientConfig> {

    @Override
    protected Class<ClientConfig> entityClass() {
        return ClientConfig.class;
    }

    @Override
    protected java.util.function.Supplier<ClientConfig> factory() {
        return ClientConfig::new;
    }

    @Override
    protected String table() {
        return "client_configs";
    }

    @Override
    protected String idColumn() {
        return "client_id";
    }

    @Override
    protected String dataColumn() {
        return "config_data";
    }
}
