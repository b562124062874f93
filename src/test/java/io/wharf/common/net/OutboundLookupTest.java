package io.wharf.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The JDK's name lookup has no timeout: the caller waits for it only until its own deadline. */
@Tag("unit")
class OutboundLookupTest {

    @Test
    void aLookupThatHangsEndsAtTheDeadline() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> OutboundAddressPolicy.lookup("slow.example", started + 500_000_000L, host -> {
            Thread.sleep(10_000);
            return new InetAddress[0];
        })).isInstanceOf(OutboundAddressPolicy.TimedOut.class);
        assertThat((System.nanoTime() - started) / 1_000_000).isBetween(450L, 1500L);
    }

    @Test
    void noTimeLeftMeansNoLookup() {
        assertThatThrownBy(() -> OutboundAddressPolicy.lookup("x.example", System.nanoTime() - 1, host -> {
            throw new AssertionError("looked up after the deadline");
        })).isInstanceOf(OutboundAddressPolicy.TimedOut.class);
    }

    @Test
    void answersAndUnknownNamesPassThrough() throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        InetAddress local = InetAddress.getByName("127.0.0.1");
        assertThat(OutboundAddressPolicy.lookup("a.example", deadline, host -> new InetAddress[] { local })).containsExactly(local);
        assertThatThrownBy(() -> OutboundAddressPolicy.lookup("b.example", deadline, host -> {
            throw new UnknownHostException(host);
        })).isInstanceOf(OutboundAddressPolicy.Refused.class).isNotInstanceOf(OutboundAddressPolicy.TimedOut.class)
                .hasMessageContaining("does not resolve");
    }
}
