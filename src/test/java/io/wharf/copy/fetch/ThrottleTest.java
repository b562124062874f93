package io.wharf.copy.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Origin slots: never more than per-host-concurrency at once, and no state left for origins with nothing running. */
@Tag("unit")
class ThrottleTest {

    @Test
    void anOriginHasAtMostItsSlotsAndAnotherOriginIsNotHeldBack() {
        Throttle t = new Throttle(0, 0, 2, () -> false);
        String busy = Throttle.origin("http://old.example/a.jpg");
        assertThat(t.tryHost(busy)).isTrue();
        assertThat(t.tryHost(busy)).isTrue();
        assertThat(t.tryHost(busy)).as("a third copy from the same origin").isFalse();
        assertThat(t.tryHost(Throttle.origin("http://old.example:8080/a.jpg"))).as("another port is another origin").isTrue();
        t.releaseHost(busy);
        assertThat(t.tryHost(busy)).as("a slot given back is free again").isTrue();
    }

    @Test
    void millionsOfOriginsLeaveNoStateOnceTheirCopiesEnd() {
        Throttle t = new Throttle(0, 0, 4, () -> false);
        for (int i = 0; i < 200_000; i++) {
            String origin = Throttle.origin("https://host-" + i + ".example/f.pdf");
            assertThat(t.tryHost(origin)).isTrue();
            if (i % 1000 == 999) {
                assertThat(t.hostsBusy()).isEqualTo(1000);
                for (int j = i - 999; j <= i; j++) {
                    t.releaseHost(Throttle.origin("https://host-" + j + ".example/f.pdf"));
                }
                assertThat(t.hostsBusy()).isZero();
            }
        }
    }
}
