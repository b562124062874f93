package io.wharf.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wharf.common.web.Redactor;

/** What an audit row says changed: whole documents on create and delete, only the changed fields on update. */
@Tag("unit")
class AuditDiffTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @Test
    void aCreationKeepsTheWholeDocumentAfter() {
        assertThat(AuditDiff.of(null, json("{'id': 'p1', 'name': 'P', 'tags': ['a']}")))
                .isEqualTo(json("{'before': null, 'after': {'id': 'p1', 'name': 'P', 'tags': ['a']}}"));
    }

    @Test
    void aDeletionKeepsTheWholeDocumentBefore() {
        assertThat(AuditDiff.of(json("{'id': 'p1', 'name': 'P'}"), null)).isEqualTo(json("{'before': {'id': 'p1', 'name': 'P'}, 'after': null}"));
    }

    @Test
    void anUpdateKeepsOnlyChangedAddedAndRemovedFields() {
        JsonNode before = json("{'id': 'p1', 'name': 'Old', 'port': 5432, 'gone': 'x', 'nested': {'a': 1, 'b': 2}, 'same': [1, 2]}");
        JsonNode after = json("{'id': 'p1', 'name': 'New', 'port': 5432, 'added': true, 'nested': {'a': 1, 'b': 3}, 'same': [1, 2]}");
        assertThat(AuditDiff.of(before, after)).isEqualTo(json("""
                {'before': {'name': 'Old', 'added': null, 'nested': {'a': 1, 'b': 2}, 'gone': 'x'},
                 'after':  {'name': 'New', 'added': true, 'nested': {'a': 1, 'b': 3}, 'gone': null}}"""));
    }

    @Test
    void anAddedFieldIsNullBeforeLikeAnExplicitNull() {
        var changes = AuditDiff.of(json("{'a': null}"), json("{'a': 1, 'b': 2}"));
        assertThat(changes.get("before").get("a").isNull()).isTrue();
        assertThat(changes.get("before").has("b")).isTrue();
        assertThat(changes.get("before").get("b").isNull()).isTrue();
    }

    @Test
    void afterFieldsComeFirstInTheirOrderThenRemovedOnes() {
        var changes = AuditDiff.of(json("{'z': 1, 'r': 1, 'a': 1}"), json("{'c': 2, 'a': 2}"));
        assertThat(changes.get("after").fieldNames()).toIterable().containsExactly("c", "a", "z", "r");
        assertThat(changes.get("before").fieldNames()).toIterable().containsExactly("c", "a", "z", "r");
    }

    @Test
    void anUnchangedUpdateHasEmptySides() {
        JsonNode doc = json("{'id': 'p1', 'n': 1.5}");
        assertThat(AuditDiff.of(doc, doc.deepCopy())).isEqualTo(json("{'before': {}, 'after': {}}"));
    }

    @Test
    void nonObjectsAreKeptWhole() {
        assertThat(AuditDiff.of(json("[1, 2]"), json("[1, 3]"))).isEqualTo(json("{'before': [1, 2], 'after': [1, 3]}"));
        assertThat(AuditDiff.of(json("'a'"), json("{'a': 1}"))).isEqualTo(json("{'before': 'a', 'after': {'a': 1}}"));
        assertThat(AuditDiff.of(null, null)).isEqualTo(json("{'before': null, 'after': null}"));
    }

    @Test
    void secretsAreRedactedOnBothSidesAndAChangedSecretStillShows() {
        JsonNode before = json("{'id': 'p1', 'password': 'old-pw', 'config': {'api_key': 'k1', 'host': 'a'}}");
        JsonNode after = json("{'id': 'p1', 'password': 'new-pw', 'config': {'api_key': 'k2', 'host': 'b'}}");
        var changes = AuditDiff.of(before, after);
        assertThat(changes.toString()).doesNotContain("old-pw", "new-pw", "k1", "k2");
        assertThat(changes.get("before").get("config").get("api_key").textValue()).isEqualTo(Redactor.REDACTED);
        assertThat(changes.get("after").get("config").get("host").textValue()).isEqualTo("b");
        // both sides redact to the same marker, so a password change alone is not visible in the diff
        assertThat(changes.get("after").has("password")).isFalse();
        assertThat(AuditDiff.of(null, after).get("after").get("password").textValue()).isEqualTo(Redactor.REDACTED);
        assertThat(AuditDiff.of(before, null).get("before").get("password").textValue()).isEqualTo(Redactor.REDACTED);
    }

    @Test
    void aClearedSecretShowsAsNullAndBulkTextIsShortened() {
        var changes = AuditDiff.of(json("{'token': 't'}"), json("{'token': null, 'logo': '" + "A".repeat(5000) + "'}"));
        assertThat(changes.get("before").get("token").textValue()).isEqualTo(Redactor.REDACTED);
        assertThat(changes.get("after").get("token").isNull()).isTrue();
        assertThat(changes.get("after").get("logo").textValue()).isEqualTo("[5000 characters omitted]");
    }

    @Test
    void theInputsAreNotChanged() {
        JsonNode before = json("{'password': 'p', 'a': 1}");
        JsonNode after = json("{'password': 'q', 'a': 2}");
        AuditDiff.of(before, after);
        assertThat(before).isEqualTo(json("{'password': 'p', 'a': 1}"));
        assertThat(after).isEqualTo(json("{'password': 'q', 'a': 2}"));
    }
}
