package io.wharf.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.wharf.testing.FakeDns;

/** Lookups against a real DNS server on loopback that answers some names, refuses others and never answers a few. */
@Tag("unit")
class HostResolverTest {

    private static final int PER_TENANT = 3;

    static FakeDns dns;
    static HostResolver resolver;

    @BeforeAll
    static void start() {
        dns = FakeDns.start();
        resolver = new HostResolver(List.of(dns.address()), Duration.ofSeconds(2), PER_TENANT);
    }

    @AfterAll
    static void stop() {
        resolver.close();
        dns.close();
    }

    private static long in(long millis) {
        return System.nanoTime() + millis * 1_000_000L;
    }

    @Test
    void namesResolveThroughTheServerAndTheHostsFile() throws Exception {
        UUID tenant = UUID.randomUUID();
        assertThat(resolver.lookup("cdn.public.dns.test", tenant, in(2000))).extracting(InetAddress::getHostAddress)
                .containsExactly(FakeDns.PUBLIC_ADDRESS);
        assertThat(resolver.lookup("localhost", tenant, in(2000))).allMatch(InetAddress::isLoopbackAddress);
    }

    @Test
    void aNameThatDoesNotExistIsRefusedAndAFailingServerIsTransient() {
        UUID tenant = UUID.randomUUID();
        assertThatThrownBy(() -> resolver.lookup("nothing.example.dns.test", tenant, in(2000))).isInstanceOf(OutboundAddressPolicy.Refused.class)
                .isNotInstanceOf(OutboundAddressPolicy.TimedOut.class).hasMessageContaining("does not resolve");
        assertThatThrownBy(() -> resolver.lookup("a.servfail.dns.test", tenant, in(2000))).isInstanceOf(OutboundAddressPolicy.TimedOut.class);
    }

    @Test
    void aServerThatNeverAnswersCostsTheCallerItsDeadlineAtMost() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> resolver.lookup("slow.blackhole.dns.test", UUID.randomUUID(), started + 500_000_000L))
                .isInstanceOf(OutboundAddressPolicy.TimedOut.class).isNotInstanceOf(OutboundAddressPolicy.Busy.class);
        assertThat((System.nanoTime() - started) / 1_000_000).isBetween(450L, 1500L);
        assertThatThrownBy(() -> resolver.lookup("cdn.public.dns.test", UUID.randomUUID(), System.nanoTime() - 1))
                .isInstanceOf(OutboundAddressPolicy.TimedOut.class);
    }

    @Test
    void aTenantsUnansweredNamesHoldOnlyItsOwnPlaces() throws Exception {
        UUID greedy = UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(PER_TENANT);
        try {
            List<Future<?>> hanging = new ArrayList<>();
            for (int i = 0; i < PER_TENANT; i++) {
                String name = "n" + i + ".blackhole.dns.test";
                hanging.add(pool.submit(() -> resolver.lookup(name, greedy, in(3000))));
            }
            long asked = System.nanoTime() + 2_000_000_000L;
            while (!IntStream.range(0, PER_TENANT).allMatch(i -> dns.asked("n" + i + ".blackhole.dns.test")) && System.nanoTime() < asked) {
                Thread.sleep(10);
            }
            // its next lookup fails at once, even of a name that resolves
            long started = System.nanoTime();
            assertThatThrownBy(() -> resolver.lookup("cdn.public.dns.test", greedy, in(3000))).isInstanceOf(OutboundAddressPolicy.Busy.class);
            // another tenant and the operator resolve at once meanwhile
            assertThat(resolver.lookup("b.public.dns.test", UUID.randomUUID(), in(3000))).hasSize(1);
            assertThat(resolver.lookup("c.public.dns.test", HostResolver.OPERATOR, in(3000))).hasSize(1);
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1000L);
            assertThat(hanging).noneMatch(Future::isDone);
            for (Future<?> f : hanging) {
                assertThatThrownBy(f::get).hasCauseInstanceOf(OutboundAddressPolicy.TimedOut.class);
            }
            // its places are free again once its lookups ended
            assertThat(resolver.lookup("d.public.dns.test", greedy, in(3000))).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void serversAreAddressesWithAnOptionalPort() {
        assertThat(HostResolver.server("127.0.0.1:5353")).hasToString("/127.0.0.1:5353");
        assertThat(HostResolver.server(" 10.0.0.2 ").getPort()).isEqualTo(53);
        assertThat(HostResolver.server("[::1]:5300").getPort()).isEqualTo(5300);
        assertThat(HostResolver.server("fd00::53").getAddress().getHostAddress()).startsWith("fd00:");
        // a server named by a host name would need a lookup of its own
        assertThatThrownBy(() -> HostResolver.server("dns.example:53")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wharf.outbound.dns-servers");
        assertThatThrownBy(() -> HostResolver.server("127.0.0.1:0")).isInstanceOf(IllegalArgumentException.class);
    }
}
