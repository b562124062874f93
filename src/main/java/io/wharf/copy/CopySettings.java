package io.wharf.copy;

import java.util.List;

import io.wharf.common.net.OperatorHosts;
import io.wharf.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The two copy settings that packages below the copy act on, handed to them so that they read no setting of the copy's. */
@ApplicationScoped
class CopySettings {

    /** The legacy file server, which the outbound policy opens to the scan's URLs only. */
    @Produces
    @Singleton
    OperatorHosts operatorHosts(CopyConfig config) {
        return new OperatorHosts(config.allowedHosts().orElse(List.of()));
    }

    /** The copy threads write their objects through the store. */
    @Produces
    @Singleton
    ObjectStore.Writers writers(CopyConfig config) {
        return new ObjectStore.Writers(config.concurrency());
    }
}
