package io.wharf.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;

/** If-Match compares strongly: only the current version's own tag, or *, lets a write through. */
@Tag("unit")
class ETagsTest {

    @Test
    void aVersionIsAQuotedStrongTag() {
        assertThat(ETags.of(0)).isEqualTo("\"0\"");
        assertThat(ETags.of(3)).isEqualTo("\"3\"");
        assertThat(ETags.of(Long.MAX_VALUE)).isEqualTo("\"9223372036854775807\"");
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"3\"", " \"3\" ", "*", " * ", "\"1\", \"3\"", "\"1\",\"3\"", "W/\"3\", \"3\"", "\"9\", *" })
    void theCurrentVersionOrAStarPasses(String ifMatch) {
        assertThatCode(() -> ETags.checkIfMatch(ifMatch, 3, "The profile")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "\t" })
    void anAbsentOrBlankHeaderPasses(String ifMatch) {
        assertThatCode(() -> ETags.checkIfMatch(ifMatch, 3, "The profile")).doesNotThrowAnyException();
        assertThatCode(() -> ETags.checkIfMatch(null, 3, "The profile")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"2\"", "\"4\"", "3", "\"03\"", "\"1\", \"2\"", "W/\"2\"", "\"3", "**", "\"\"", "x" })
    void anyOtherTagIsAStaleVersion(String ifMatch) {
        WharfException e = refused(ifMatch, 3);
        assertThat(e.getMessage()).startsWith("The profile has changed: its current version is \"3\" but If-Match was " + ifMatch);
    }

    @Test
    void aWeakTagOfTheCurrentVersionIsRefusedWithAnExplanation() {
        WharfException e = refused("W/\"3\"", 3);
        assertThat(e.getMessage()).contains("compares strongly").contains("send \"3\"");
        assertThat(refused("\"1\", W/\"3\"", 3).getMessage()).contains("compares strongly");
    }

    @Test
    void aLongHeaderIsAbbreviatedInTheDetail() {
        String ifMatch = "\"1\"," + "x".repeat(300);
        WharfException e = refused(ifMatch, 3);
        assertThat(e.getMessage()).contains(ifMatch.substring(0, 100) + "...").doesNotContain(ifMatch.substring(0, 101));
    }

    private static WharfException refused(String ifMatch, long current) {
        WharfException e = catchThrowableOfType(WharfException.class, () -> ETags.checkIfMatch(ifMatch, current, "The profile"));
        assertThat(e).as(ifMatch).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(e.extensions()).containsEntry("currentVersion", current);
        return e;
    }
}
