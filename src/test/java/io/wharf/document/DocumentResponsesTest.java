package io.wharf.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.error.WharfException;

/** How a stored document's text becomes an answer, and how a type's filters become a JSONB containment. */
@Tag("unit")
class DocumentResponsesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6_000_000, ZoneOffset.UTC);
    private static final DocumentType TYPE = new DocumentType("client_configs", "client_id", "config_data", "client_id", "client_config",
            "Client config", "/demo/clients", List.of(ListFilter.oneOf("license_type", Tier.class), ListFilter.element("module", "modules"),
                    ListFilter.text("name")));

    enum Tier { basic, enterprise }

    @Test
    void theStoredTextIsAnsweredAsItIsWithTheIdAndMetadataAround() throws Exception {
        StoredDocument doc = new StoredDocument("c\"1", "{\"price\": 1.10, \"a\": [1, 2]}", 3, AT, AT.plusSeconds(1));
        String body = DocumentResponses.body(TYPE, doc).json();
        assertThat(body).startsWith("{\"client_id\":\"c\\\"1\",\"price\": 1.10").contains("\"version\":3");
        JsonNode tree = JSON.readTree(body);
        assertThat(tree.get("client_id").asText()).isEqualTo("c\"1");
        assertThat(tree.get("created_at").asText()).isEqualTo("2026-01-02T03:04:05.006Z");
        assertThat(tree.get("updated_at").asText()).isEqualTo("2026-01-02T03:04:06.006Z");
    }

    @Test
    void storedFieldsNamedLikeTheIdOrMetadataGiveWayWithoutDuplicateKeys() throws Exception {
        StoredDocument doc = new StoredDocument("c1", "{\"client_id\": \"other\", \"version\": 99, \"price\": 1.10}", 2, AT, AT);
        String body = DocumentResponses.body(TYPE, doc).json();
        JsonNode tree = JSON.readTree(body);
        assertThat(tree.get("client_id").asText()).isEqualTo("c1");
        assertThat(tree.get("version").asLong()).isEqualTo(2);
        assertThat(tree.get("price").decimalValue()).isEqualByComparingTo("1.10");
        assertThat(body.split("\"version\"", -1)).hasSize(2);
        assertThat(body).contains("1.10");
    }

    @Test
    void anEmptyDocumentStillGetsItsIdAndMetadata() throws Exception {
        JsonNode tree = JSON.readTree(DocumentResponses.body(TYPE, new StoredDocument("e", "{}", 1, AT, AT)).json());
        assertThat(tree.fieldNames()).toIterable().containsExactly("client_id", "created_at", "updated_at", "version");
    }

    @Test
    void filtersBecomeOneContainmentAndEnumerationsAreChecked() {
        ObjectNode contains = JsonNodeFactory.instance.objectNode();
        TYPE.filters().get(0).apply("enterprise", contains);
        TYPE.filters().get(1).apply("reports", contains);
        TYPE.filters().get(2).apply(null, contains);
        assertThat(contains.toString()).isEqualTo("{\"license_type\":\"enterprise\",\"modules\":[\"reports\"]}");

        assertThatThrownBy(() -> TYPE.filters().get(0).apply("gold", JsonNodeFactory.instance.objectNode()))
                .isInstanceOf(WharfException.class).hasMessage("license_type: must be one of basic, enterprise");
        assertThatThrownBy(() -> TYPE.filters().get(2).apply("a\u0000b", JsonNodeFactory.instance.objectNode()))
                .isInstanceOf(WharfException.class).hasMessageContaining("NUL");
    }

    @Test
    void aTypeNamesItsCursorsAndLocationsFromItsPath() {
        assertThat(TYPE.cursors()).isEqualTo("demo_clients");
        assertThat(TYPE.location("c1")).isEqualTo("/demo/clients/c1");
    }
}
