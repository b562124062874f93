package io.wharf.copy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.wharf.copy.Backoff;
import io.wharf.copy.Job;

/** Retry delays grow, stay capped and honour Retry-After; object keys are fixed by the job and safe. */
@Tag("unit")
class BackoffAndObjectKeysTest {

    @Test
    void delaysDoubleWithJitterUpToTheCapAndRetryAfterIsAFloor() {
        Backoff b = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(60));
        for (int i = 0; i < 200; i++) {
            assertThat(b.delay(1, null)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThat(b.delay(3, null)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
            assertThat(b.delay(30, null)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
            assertThat(b.delay(1, Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(20));
            assertThat(b.delay(1, Duration.ofDays(1))).isEqualTo(Duration.ofSeconds(60)); // honoured up to the cap, so a job is not parked for a day
        }
    }

    @Test
    void keysFollowGenerateS3UrlsLayoutAndNamesAreSanitised() {
        UUID id = UUID.fromString("0f0e0d0c-0b0a-4909-8807-060504030201");
        UUID token = UUID.fromString("11111111-2222-4333-8444-555555555555");
        Job job = new Job(id, "business_profiles", UUID.randomUUID(), null, "avatar_url", "https://old.example/a/Photo.JPEG?x=1", 1, false,
                Job.OPERATOR, token, null);
        assertThat(ObjectKeys.key("legacy", job, ObjectKeys.extension(job.oldUrl(), "image/jpeg")))
                .isEqualTo("legacy/business_profiles/avatar_url/0f0e0d0c-0b0a-4909-8807-060504030201-11111111-2222-4333-8444-555555555555.jpg")
                .startsWith(ObjectKeys.jobPrefix("legacy", job));
        // the bytes decide: HTML bytes behind a .png URL are of no known kind, PNG bytes behind .html are a PNG
        assertThat(ObjectKeys.extension("https://old.example/a.png", "text/html", "application/octet-stream")).isEqualTo("png");
        assertThat(ObjectKeys.extension("https://old.example/a.html", "text/html", "image/png")).isEqualTo("png");
        assertThat(ObjectKeys.extension("https://old.example/report", "application/pdf")).isEqualTo("pdf");
        assertThat(ObjectKeys.extension("https://old.example/x.tar.gz%00", null)).isEqualTo("bin");
        assertThat(ObjectKeys.extension("https://old.example/../../etc/passwd", null)).isEqualTo("bin");
        assertThat(Job.originalName("https://old.example/a/My%20File%2F..%0A.pdf")).isEqualTo("My File_.._.pdf");
        assertThat(Job.originalName("https://old.example/")).isEqualTo("file");
    }
}
