package io.wharf.common;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Test-only endpoint with a validated JSON body, so that the real error mapper can be exercised
 * before the feature endpoints exist.
 */
@Path("/test-fixtures/echo")
public class ProblemFixtureResource {

    public enum Tier { BASIC, PROFESSIONAL }

    public record Item(@NotBlank String name) {
    }

    public record Body(@NotBlank @Size(max = 10) String name, @NotNull @Min(1) Integer count, Tier tier,
            @NotEmpty List<@Valid Item> items) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Body echo(@Valid @NotNull Body body) {
        if ("explode".equals(body.name())) {
            throw new IllegalStateException("internal detail that must not leak: org.example.Secret");
        }
        return body;
    }
}
