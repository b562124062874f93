package io.wharf.proposal;

import java.util.List;

/** A proposal is drafted, sent, then accepted or rejected; nothing moves backwards or out of a decision. */
public enum ProposalStatus {
    draft, sent, accepted, rejected;

    public List<ProposalStatus> next() {
        return switch (this) {
            case draft -> List.of(sent);
            case sent -> List.of(accepted, rejected);
            case accepted, rejected -> List.of();
        };
    }

    public boolean canMoveTo(ProposalStatus target) {
        return target == this || next().contains(target);
    }
}
