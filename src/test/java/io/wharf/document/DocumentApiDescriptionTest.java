package io.wharf.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wharf.testing.TestTenants;

/** The generic document resource is described per type: its id's seed name, its list filters and their values. */
@QuarkusTest
class DocumentApiDescriptionTest {

    @Test
    void eachDocumentTypeIsDescribedInItsOwnWords() {
        JsonPath api = TestTenants.client().as().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Object> paths = api.getMap("paths");
        assertThat(paths).containsKeys("/demo/clients/{client_id}", "/demo/proposals/{proposal_id}", "/connector/profiles/{id}",
                "/connector/profiles/{id}/test").doesNotContainKeys("/demo/clients/{id}", "/demo/proposals/{id}");
        assertThat(api.getList("paths.'/demo/clients/{client_id}'.get.parameters.name", String.class)).contains("client_id");
        assertThat(api.getMap("paths.'/demo/proposals/{proposal_id}'")).containsKeys("get", "put").doesNotContainKey("delete");

        List<Map<String, Object>> filters = api.getList("paths.'/demo/clients'.get.parameters");
        assertThat(filters).extracting(p -> p.get("name")).contains("license_type", "module", "created_after", "cursor", "limit");
        assertThat(api.getList("paths.'/demo/clients'.get.parameters.find { it.name == 'license_type' }.schema.enum", String.class))
                .containsExactly("basic", "professional", "enterprise");
        assertThat(api.getList("paths.'/demo/proposals'.get.parameters.find { it.name == 'status' }.schema.enum", String.class))
                .containsExactly("draft", "sent", "accepted", "rejected");
        assertThat(api.getString("paths.'/demo/clients'.post.requestBody.content.'application/json'.schema.'$ref'")).endsWith("/ClientConfigRequest");
        assertThat(api.getString("paths.'/demo/proposals/{proposal_id}'.put.requestBody.content.'application/json'.schema.'$ref'"))
                .endsWith("/ProposalRequest");
        assertThat(api.getString("paths.'/connector/profiles'.post.summary")).isEqualTo("Creates a connector profile; 409 if its id exists");
    }
}
