package io.wharf.common.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;

/** A cursor comes back from the client: only what this API wrote, for the same list, decodes. */
@Tag("unit")
class PageCursorTest {

    private static final String LIST = "demo_clients";

    @Test
    void roundTripKeepsTheInstantToTheNanosecondAndTheId() {
        OffsetDateTime at = OffsetDateTime.of(2026, 3, 14, 15, 9, 26, 535_897_932, ZoneOffset.UTC);
        PageCursor back = PageCursor.decode(new PageCursor(at, "client-42").encode(LIST), LIST);
        assertThat(back).isEqualTo(new PageCursor(at, "client-42"));
    }

    @Test
    void anOffsetIsNormalisedToTheSameInstantInUtc() {
        OffsetDateTime at = OffsetDateTime.of(2026, 1, 1, 2, 0, 0, 0, ZoneOffset.ofHours(2));
        PageCursor back = PageCursor.decode(new PageCursor(at, "p1").encode(LIST), LIST);
        assertThat(back.createdAt()).isEqualTo(OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(back.createdAt().isEqual(at)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "a", "with|pipes|inside", "ünïcødé ✓", "line\nbreak", "x?y=z&w" })
    void idsWithAnyCharactersButNulSurvive(String id) {
        OffsetDateTime at = OffsetDateTime.of(2020, 5, 6, 7, 8, 9, 0, ZoneOffset.UTC);
        assertThat(PageCursor.decode(new PageCursor(at, id).encode(LIST), LIST).id()).isEqualTo(id);
    }

    @Test
    void anIdOf255CharactersDecodesAndOneLongerIsRefused() {
        OffsetDateTime at = OffsetDateTime.of(2020, 5, 6, 7, 8, 9, 0, ZoneOffset.UTC);
        assertThat(PageCursor.decode(new PageCursor(at, "i".repeat(255)).encode(LIST), LIST).id()).hasSize(255);
        assertRefused(new PageCursor(at, "i".repeat(256)).encode(LIST), LIST);
        assertRefused(new PageCursor(at, "").encode(LIST), LIST);
        assertRefused(new PageCursor(at, "a\u0000b").encode(LIST), LIST);
    }

    @Test
    void theEncodingIsUrlSafeBase64WithoutPadding() {
        String cursor = new PageCursor(OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 1, ZoneOffset.UTC), "??>>").encode(LIST);
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(PageCursor.decode("  " + cursor + "\n", LIST).id()).as("surrounding blanks are trimmed").isEqualTo("??>>");
    }

    @Test
    void anotherListsCursorIsRefused() {
        String cursor = new PageCursor(OffsetDateTime.now(ZoneOffset.UTC), "c1").encode("demo_proposals");
        assertThat(PageCursor.decode(cursor, "demo_proposals").id()).isEqualTo("c1");
        assertRefused(cursor, LIST);
        assertRefused(cursor, "demo_proposal");
        assertRefused(cursor, "");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "!!!", "not base64 at all", "AAAA", "=" })
    void garbageIsRefused(String cursor) {
        assertRefused(cursor, LIST);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "demo_clients|1700000000.0", // no id
            "1700000000.0|c1", // written before lists were named
            "demo_clients|1700000000|c1", // no nanoseconds
            "demo_clients|1700000000.1234567890|c1", // ten digits of nanoseconds
            "demo_clients|abc.0|c1",
            "Demo_Clients|1700000000.0|c1",
            "demo_clients|9999999999999999999.0|c1", // more than 18 digits
            "demo_clients|999999999999999999.0|c1", // beyond java.time
            "demo_clients|9300000000000.0|c1", // year ~296000, beyond PostgreSQL
            "demo_clients|-300000000000.0|c1" // before 4713 BC
    })
    void tamperedPayloadsAreRefused(String raw) {
        assertRefused(base64(raw), LIST);
    }

    @Test
    void aForgedButWellFormedCursorIsJustAPosition() {
        PageCursor c = PageCursor.decode(base64("demo_clients|0.5|zz"), LIST);
        assertThat(c).isEqualTo(new PageCursor(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 5, ZoneOffset.UTC), "zz"));
        assertThat(PageCursor.decode(base64("demo_clients|0.5|zz|"), LIST).id()).as("an id may hold '|'").isEqualTo("zz|");
    }

    @Test
    void theStorableRangeIsInclusiveAtBothEnds() {
        assertThat(PageCursor.storable(PageCursor.EARLIEST)).isTrue();
        assertThat(PageCursor.storable(PageCursor.LATEST)).isTrue();
        assertThat(PageCursor.storable(PageCursor.EARLIEST.minusNanos(1))).isFalse();
        assertThat(PageCursor.storable(PageCursor.LATEST.plusNanos(1))).isFalse();
        assertThat(PageCursor.decode(new PageCursor(PageCursor.EARLIEST, "e").encode(LIST), LIST).createdAt()).isEqualTo(PageCursor.EARLIEST);
        assertThat(PageCursor.decode(new PageCursor(PageCursor.LATEST, "l").encode(LIST), LIST).createdAt()).isEqualTo(PageCursor.LATEST);
        assertRefused(new PageCursor(PageCursor.EARLIEST.minusSeconds(1), "e").encode(LIST), LIST);
        assertRefused(new PageCursor(PageCursor.LATEST.plusSeconds(1), "l").encode(LIST), LIST);
    }

    private static String base64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String cursor, String list) {
        WharfException e = catchThrowableOfType(WharfException.class, () -> PageCursor.decode(cursor, list));
        assertThat(e).as(cursor).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(e.getMessage()).contains("start again without it");
    }
}
