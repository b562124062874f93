package io.wharf.tenant;

import java.util.Optional;
import java.util.Set;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wharf.common.error.ProblemMapper;
import io.wharf.common.error.ProblemWriter;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads the key from {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String API_KEY_HEADER = "X-API-Key";

    public static final class Request extends BaseAuthenticationRequest {
        private final String key;

        Request(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String key = presentedKey(context);
        if (key == null) {
            return Uni.createFrom().optional(Optional.empty());
        }
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new Request(key), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", ProblemMapper.CHALLENGE));
    }

    /** Outside the REST layer (/q/openapi, /q/swagger-ui) the challenge is the same problem the mapper sends. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().headWritten()) {
            ProblemWriter.end(context.response().putHeader("WWW-Authenticate", ProblemMapper.CHALLENGE),
                    ProblemMapper.unauthorized(context.normalizedPath()));
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(Request.class);
    }

    /** A present but unusable header still counts as a key, so that it fails like a wrong one. */
    static String presentedKey(RoutingContext context) {
        String header = context.request().getHeader(API_KEY_HEADER);
        if (header != null) {
            return header.trim();
        }
        String authorization = context.request().getHeader("Authorization");
        if (authorization == null) {
            return null;
        }
        return authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : authorization;
    }
}
