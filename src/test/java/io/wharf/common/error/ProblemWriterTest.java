package io.wharf.common.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The one rendering of problem documents, without an application around it. */
@Tag("unit")
class ProblemWriterTest {

    @Test
    void writesTheStandardMembersInOrderThenTheExtensions() {
        Problem p = Problem.of(ErrorCode.CONFLICT, "Taken.", "/demo/clients", Map.of("allowed", List.of("sent")));
        assertThat(new String(ProblemWriter.json(p), StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"https://wharf.io/problems/conflict\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"Taken.\","
                        + "\"instance\":\"/demo/clients\",\"allowed\":[\"sent\"]}");
    }

    @Test
    void escapesQuotesAndLeavesOutMissingMembers() {
        Problem p = Problem.of(new WharfException(ErrorCode.NOT_FOUND, "No \"x\"."), null);
        assertThat(new String(ProblemWriter.json(p), StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"https://wharf.io/problems/not-found\",\"title\":\"Not found\",\"status\":404,\"detail\":\"No \\\"x\\\".\"}");
    }
}
