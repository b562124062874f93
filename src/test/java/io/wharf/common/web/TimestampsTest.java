package io.wharf.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TimestampsTest {

    @Test
    void printsExactlyWhatTheIsoFormatterPrints() {
        List<ZoneOffset> offsets = List.of(ZoneOffset.UTC, ZoneOffset.ofHours(2), ZoneOffset.ofHoursMinutes(-9, -30),
                ZoneOffset.ofHoursMinutesSeconds(5, 45, 10));
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            OffsetDateTime t = OffsetDateTime.of(1 + random.nextInt(9999), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), nano, offsets.get(i % offsets.size()));
            assertThat(Timestamps.iso(t)).isEqualTo(t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        }
        assertThat(Timestamps.iso(OffsetDateTime.of(2026, 11, 21, 9, 5, 0, 120_000_000, ZoneOffset.UTC))).isEqualTo("2026-11-21T09:05:00.12Z");
        assertThat(Timestamps.iso(null)).isNull();
    }
}
