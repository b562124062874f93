package io.wharf.common.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The stop a background job promises: no new pass once stopping, and the pass in flight gets its grace. */
class BackgroundJobTest {

    record Config(boolean enabled, int batchSize, Duration shutdownGrace) implements JobConfig {
    }

    @Test
    void stopWaitsForThePassInFlightAndNoPassStartsAfterIt() throws Exception {
        BackgroundJob job = new BackgroundJob("test", new Config(true, 10, Duration.ofSeconds(10)));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> pass = CompletableFuture.supplyAsync(() -> job.run(() -> {
            started.countDown();
            await(release);
        }));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> stop = CompletableFuture.runAsync(job::stop);
        Thread.sleep(200);
        assertThat(stop).as("waits for the pass").isNotDone();
        release.countDown();
        stop.get(5, TimeUnit.SECONDS);
        assertThat(pass.get()).isTrue();
        assertThat(job.run(() -> {
            throw new AssertionError("ran after stop");
        })).isFalse();
    }

    @Test
    void stopGivesUpOnAPassThatOverrunsItsGrace() throws Exception {
        BackgroundJob job = new BackgroundJob("test", new Config(true, 10, Duration.ofMillis(100)));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture.runAsync(() -> job.run(() -> {
            started.countDown();
            await(release);
        }));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        job.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(90), Duration.ofSeconds(5));
        release.countDown();
    }

    @Test
    void aDisabledJobNeverRuns() {
        BackgroundJob job = new BackgroundJob("test", new Config(false, 10, Duration.ofSeconds(1)));
        assertThat(job.run(() -> {
            throw new AssertionError("ran while disabled");
        })).isFalse();
        assertThat(job.batchSize()).isEqualTo(10);
        assertThat(new BackgroundJob("test", new Config(true, 0, Duration.ZERO)).batchSize()).isEqualTo(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
