package io.wharf.tenant;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a presented key into the caller's identity: roles are the key's scopes, attributes its tenant. */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationMechanism.Request> {

    public static final String TENANT_ID = "wharf.tenant-id";
    public static final String KEY_ID = "wharf.key-id";
    public static final String KEY_PREFIX = "wharf.key-prefix";

    private final ApiKeyService keys;

    ApiKeyIdentityProvider(ApiKeyService keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyAuthenticationMechanism.Request> getRequestType() {
        return ApiKeyAuthenticationMechanism.Request.class;
    }

    /** A cached key is decided on the calling thread; only a cache miss goes to the database, on a worker. */
    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationMechanism.Request request, AuthenticationRequestContext context) {
        var cached = keys.authenticateCached(request.key());
        if (cached.isPresent()) {
            return cached.get().map(k -> Uni.createFrom().item(identity(k)))
                    .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException()));
        }
        return context.runBlocking(() -> keys.authenticate(request.key()).map(ApiKeyIdentityProvider::identity)
                .orElseThrow(AuthenticationFailedException::new));
    }

    private static SecurityIdentity identity(ApiKeyService.Authenticated k) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(k.prefix()))
                .addRoles(Scope.roles(k.scopes()))
                .addAttribute(TENANT_ID, k.tenantId())
                .addAttribute(KEY_ID, k.keyId())
                .addAttribute(KEY_PREFIX, k.prefix())
                .build();
    }
}
