package io.wharf.common.web;

import java.util.Optional;
import java.util.UUID;

import io.quarkus.arc.Arc;
import io.quarkus.arc.Unremovable;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * The caller of the current request, injectable into services so that tenant filtering and audit never
 * depend on what a resource remembered to pass along.
 */
@RequestScoped
@Unremovable
public class CurrentCaller {

    static final String USER_ID_HEADER = "X-User-Id";
    private static final int MAX_HEADER = 255;

    @Inject
    SecurityIdentity identity;

    @Inject
    HttpServerRequest request;

    private Caller caller;

    /** The authenticated caller; a request without one never reaches a service. */
    public Caller get() {
        if (caller == null) {
            UUID tenant = identity.getAttribute("wharf.tenant-id");
            if (identity.isAnonymous() || tenant == null) {
                throw new UnauthorizedException();
            }
            caller = new Caller(tenant, identity.getAttribute("wharf.key-id"), identity.getAttribute("wharf.key-prefix"),
                    identity.getRoles(), clip(request.getHeader(USER_ID_HEADER)),
                    request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                    clip(request.getHeader("User-Agent")));
        }
        return caller;
    }

    public UUID tenantId() {
        return get().tenantId();
    }

    /** The caller when there is an authenticated request; empty at start-up or in scheduled jobs. */
    public static Optional<Caller> current() {
        if (!Arc.container().requestContext().isActive()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Arc.container().instance(CurrentCaller.class).get().get());
        } catch (UnauthorizedException e) {
            return Optional.empty();
        }
    }

    private static String clip(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        return v.length() > MAX_HEADER ? v.substring(0, MAX_HEADER) : v;
    }
}
