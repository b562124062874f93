package io.wharf.document;

import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.clientconfig.ClientConfigRequest;
import io.wharf.clientconfig.ClientConfigService;
import io.wharf.common.Actor;
import io.wharf.common.error.WharfException;
import io.wharf.proposal.ProposalRequest;
import io.wharf.proposal.ProposalService;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;

/**
 * A worker or a command calls the same services a resource does, with no request behind it: the tenant and
 * the actor are arguments, the type's rules still apply, and the audit trail records who it was.
 */
@QuarkusTest
class ServicesOutsideRequestsTest {

    @Inject
    ClientConfigService clients;

    @Inject
    ProposalService proposals;

    @Test
    void aCommandCreatesDocumentsUnderItsOwnNameAndTheRulesStillHold() {
        TestTenant t = TestTenants.client();
        clients.create(t.id(), Actor.cli("ops-alice"), new ClientConfigRequest("cli-client", "From the command line",
                ClientConfigRequest.LicenseType.basic, List.of("reports"), null, null, null));
        StoredDocument p = proposals.create(t.id(), Actor.SYSTEM, new ProposalRequest("sys-proposal", "cli-client",
                ProposalRequest.ProposalType.consulting, null, null, null, null));
        assertThat(p.version()).isEqualTo(1);

        t.as().when().get("/demo/clients/cli-client").then().statusCode(200).body("client_name", equalTo("From the command line"));
        t.as().when().get("/demo/proposals/sys-proposal").then().statusCode(200).body("status", equalTo("draft"));

        // lists, their filters and their checks are the service's too
        assertThat(proposals.list(t.id(), new ListRequest(Map.of("status", "draft"), null, null, null, "10")).items())
                .extracting(StoredDocument::id).containsExactly("sys-proposal");
        assertThat(proposals.list(t.id(), new ListRequest(Map.of("status", "sent"), null, null, null, null)).items()).isEmpty();
        assertThatThrownBy(() -> proposals.list(t.id(), new ListRequest(Map.of("status", "won"), null, null, null, null)))
                .isInstanceOf(WharfException.class).hasMessage("status: must be one of draft, sent, accepted, rejected");

        // the type's rules are the service's, not the resource's
        assertThatThrownBy(() -> proposals.create(t.id(), Actor.SYSTEM, new ProposalRequest("orphan", "no-such-client",
                ProposalRequest.ProposalType.consulting, null, null, null, null)))
                .isInstanceOf(WharfException.class).hasMessageContaining("no-such-client");
        assertThatThrownBy(() -> clients.delete(t.id(), Actor.cli("ops-alice"), "cli-client", null))
                .isInstanceOf(WharfException.class).hasMessageContaining("sys-proposal");

        List<Map<String, Object>> rows = asAdmin().queryParam("tenantId", t.id()).when().get("/api/admin/audit").then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertThat(rows).extracting(r -> r.get("resourceType") + ":" + r.get("actorType") + ":" + r.get("userId"))
                .contains("client_config:cli:ops-alice", "service_proposal:system:system");
        // another tenant sees none of it
        TestTenants.client().as().when().get("/demo/clients/cli-client").then().statusCode(404);
    }
}
