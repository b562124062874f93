package io.wharf.proposal;

import static io.wharf.proposal.ProposalStatus.accepted;
import static io.wharf.proposal.ProposalStatus.draft;
import static io.wharf.proposal.ProposalStatus.rejected;
import static io.wharf.proposal.ProposalStatus.sent;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every pair of statuses, so a new status or a new move has to be decided here too. */
@Tag("unit")
class ProposalStatusTest {

    /** The moves the spec allows besides staying put: forward only, and nothing out of a decision. */
    private static final Map<ProposalStatus, Set<ProposalStatus>> MOVES = Map.of(
            draft, EnumSet.of(sent),
            sent, EnumSet.of(accepted, rejected),
            accepted, EnumSet.noneOf(ProposalStatus.class),
            rejected, EnumSet.noneOf(ProposalStatus.class));

    @Test
    void everyStatusHasItsMovesListed() {
        assertThat(MOVES.keySet()).containsExactlyInAnyOrder(ProposalStatus.values());
    }

    @Test
    void nextNamesExactlyTheAllowedMovesInOrder() {
        assertThat(draft.next()).containsExactly(sent);
        assertThat(sent.next()).containsExactly(accepted, rejected);
        assertThat(accepted.next()).isEmpty();
        assertThat(rejected.next()).isEmpty();
    }

    @Test
    void canMoveToEveryPair() {
        for (ProposalStatus from : ProposalStatus.values()) {
            for (ProposalStatus to : ProposalStatus.values()) {
                boolean allowed = from == to || MOVES.get(from).contains(to);
                assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(allowed);
            }
        }
    }

    @Test
    void nothingMovesBackwardsOrOutOfADecision() {
        assertThat(sent.canMoveTo(draft)).isFalse();
        assertThat(accepted.canMoveTo(sent)).isFalse();
        assertThat(accepted.canMoveTo(rejected)).isFalse();
        assertThat(rejected.canMoveTo(accepted)).isFalse();
        assertThat(draft.canMoveTo(accepted)).as("a draft is sent before it is decided").isFalse();
    }

    @Test
    void stayingPutIsAlwaysAllowed() {
        for (ProposalStatus s : ProposalStatus.values()) {
            assertThat(s.canMoveTo(s)).as(s.name()).isTrue();
            assertThat(s.next()).as(s.name()).doesNotContain(s);
        }
    }
}
