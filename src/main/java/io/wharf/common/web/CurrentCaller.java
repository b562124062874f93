package io.wharf.common.web;

import java.util.UUID;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import io.wharf.common.Actor;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * The caller of the current request, read by resources and handed to services as the tenant and actor
 * arguments; services never look at the request themselves, so workers and commands can call them too.
 */
@RequestScoped
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
                    clip(request.getHeader(USER_ID_HEADER)),
                    request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                    clip(request.getHeader("User-Agent")));
        }
        return caller;
    }

    public UUID tenantId() {
        return get().tenantId();
    }

    public Actor actor() {
        return get().actor();
    }

    private static String clip(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        return v.length() > MAX_HEADER ? v.substring(0, MAX_HEADER) : v;
    }
}
