package io.wharf.tenant;

import java.util.Optional;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A fresh installation gets its first operator key without touching SQL: WHARF_BOOTSTRAP_ADMIN_KEY is
 * hashed into api_keys on the first start that sees it. Its prefix is remembered, so a revoked bootstrap
 * key is never brought back by a restart with the same setting. The dev and test profiles' keys are in
 * the sources for everyone to read: a production start configured with one refuses to start (failing
 * loudly beats running with an admin key the whole world knows), and production refuses them at every
 * request in case a dev-mode run ever registered one in a production database.
 */
@ApplicationScoped
public class BootstrapAdminKey {

    private static final Logger LOG = Logger.getLogger(BootstrapAdminKey.class);

    /** Only dev mode and the test suite may use the keys published in application.properties. */
    static boolean publishedKeysAllowed() {
        return LaunchMode.current() != LaunchMode.NORMAL;
    }

    void onStart(@Observes StartupEvent event, AuthConfig config, ApiKeyService keys) {
        Optional<String> key = config.bootstrapAdminKey().map(String::trim).filter(k -> !k.isEmpty());
        if (key.isEmpty()) {
            return;
        }
        if (!ApiKeys.isWharfKey(key.get())) {
            throw new IllegalStateException("wharf.auth.bootstrap-admin-key must look like wharf_<12 lowercase letters or digits>_"
                    + "<at least 32 random characters [A-Za-z0-9_-]>; generate one with: echo wharf_$(tr -dc a-z0-9 </dev/urandom | head -c12)_$(head -c32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')");
        }
        if (ApiKeys.isPublished(key.get()) && !publishedKeysAllowed()) {
            throw new IllegalStateException("wharf.auth.bootstrap-admin-key is the published " + ApiKeys.prefixOf(key.get()).orElseThrow()
                    + " key of the dev/test profiles, which anyone can read in Wharf's sources; refusing to start. Generate a key of your own with: "
                    + "echo wharf_$(tr -dc a-z0-9 </dev/urandom | head -c12)_$(head -c32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')");
        }
        if (keys.registerBootstrapKey(key.get(), config.bootstrapTenantName())) {
            LOG.infof("Registered the bootstrap admin key %s (only its hash is stored)", ApiKeys.prefixOf(key.get()).orElseThrow());
        }
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            LOG.infof("Dev mode admin key: %s  (try: curl -H 'Authorization: Bearer %s' localhost:8080/api/admin/tenants)", key.get(), key.get());
        }
    }
}
