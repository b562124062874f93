package io.wharf.proposal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** Seed 003's service proposal, with the seed's snake_case names (see ClientConfigRequest). */
public record ProposalRequest(
        String proposal_id,
        @NotBlank @Size(max = 255) String client_id,
        @NotNull ProposalType proposal_type,
        @Valid Pricing pricing,
        @Valid Timeline timeline,
        @Valid Resources resources,
        ProposalStatus status) {

    public enum ProposalType { implementation, consulting }

    public record Pricing(@NotNull @PositiveOrZero BigDecimal total, Map<String, Object> breakdown) {
    }

    public record Timeline(LocalDate start_date, LocalDate end_date, @Size(max = 500) List<Object> phases) {

        @AssertTrue(message = "end_date must not be before start_date")
        public boolean isEnd_date() {
            return start_date == null || end_date == null || !end_date.isBefore(start_date);
        }
    }

    public record Resources(@Size(max = 500) List<Object> consultants, @PositiveOrZero BigDecimal hours) {
    }
}
