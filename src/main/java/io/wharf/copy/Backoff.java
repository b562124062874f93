package io.wharf.copy;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with full jitter (a random delay between half and all of base·2^(attempt-1),
 * at most the cap), so that jobs failing together do not come back together; a server's Retry-After is a
 * floor, up to the cap (so that one answer cannot park a job for a day).
 */
public record Backoff(Duration base, Duration cap) {

    public Duration delay(int attempt, Duration retryAfter) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() * (1L << Math.min(30, Math.max(0, attempt - 1))));
        long ms = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        if (retryAfter != null && retryAfter.toMillis() > ms) {
            ms = Math.min(retryAfter.toMillis(), Math.max(cap.toMillis(), ms));
        }
        return Duration.ofMillis(ms);
    }
}
