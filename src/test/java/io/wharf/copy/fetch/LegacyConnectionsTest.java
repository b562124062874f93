package io.wharf.copy.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Kept connections are bounded per host, handed out most recent first, and closed once idle too long or at close. */
@Tag("unit")
class LegacyConnectionsTest {

    private static LegacyConnections.Connection open(ServerSocket server, LegacyConnections.Route route) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        return new LegacyConnections.Connection(route, s, s);
    }

    @Test
    void atMostThePerHostLimitIsKeptAndTheRestClosed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LegacyConnections pool = new LegacyConnections(2, 100, Duration.ofSeconds(30))) {
            LegacyConnections.Route route = new LegacyConnections.Route(false, InetAddress.getLoopbackAddress(), server.getLocalPort(), "a");
            LegacyConnections.Route other = new LegacyConnections.Route(false, InetAddress.getLoopbackAddress(), server.getLocalPort(), "b");
            List<LegacyConnections.Connection> cs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                cs.add(open(server, route));
                pool.put(cs.get(i));
            }
            assertThat(cs.get(2).raw.isClosed()).as("the third over a limit of two").isTrue();
            assertThat(pool.take(other)).as("another host's name, although the same address").isNull();
            assertThat(pool.take(route)).isSameAs(cs.get(1));
            assertThat(pool.take(route)).isSameAs(cs.get(0));
            assertThat(pool.take(route)).isNull();
            cs.forEach(LegacyConnections.Connection::close);
        }
    }

    @Test
    void idleConnectionsAreClosedBySweepAndEverythingByClose() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LegacyConnections pool = new LegacyConnections(4, 100, Duration.ofMillis(100));
             LegacyConnections keeping = new LegacyConnections(4, 100, Duration.ofSeconds(30))) {
            LegacyConnections.Route route = new LegacyConnections.Route(false, InetAddress.getLoopbackAddress(), server.getLocalPort(), "a");
            LegacyConnections.Connection old = open(server, route);
            pool.put(old);
            Thread.sleep(150);
            LegacyConnections.Connection recent = open(server, route);
            pool.put(recent); // puts also drop what has expired on the way
            assertThat(old.raw.isClosed()).isTrue();
            Thread.sleep(150);
            pool.sweep(); // nothing is fetched any more: the sweep closes it
            assertThat(recent.raw.isClosed()).isTrue();
            assertThat(pool.take(route)).isNull();

            LegacyConnections.Connection last = open(server, route);
            keeping.put(last);
            keeping.close();
            assertThat(last.raw.isClosed()).isTrue();
            LegacyConnections.Connection afterClose = open(server, route);
            keeping.put(afterClose);
            assertThat(afterClose.raw.isClosed()).as("nothing is kept after close").isTrue();
        }
    }

    @Test
    void atMostMaxIdleAreKeptOverAllHosts() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LegacyConnections pool = new LegacyConnections(4, 2, Duration.ofSeconds(30))) {
            List<LegacyConnections.Connection> cs = new ArrayList<>();
            for (String host : List.of("a", "b", "c")) {
                LegacyConnections.Connection c = open(server,
                        new LegacyConnections.Route(false, InetAddress.getLoopbackAddress(), server.getLocalPort(), host));
                cs.add(c);
                pool.put(c);
            }
            assertThat(cs.get(0).raw.isClosed()).isFalse();
            assertThat(cs.get(1).raw.isClosed()).isFalse();
            assertThat(cs.get(2).raw.isClosed()).as("a third host's over a limit of two in all").isTrue();
            assertThat(pool.take(cs.get(0).route)).isSameAs(cs.get(0)); // taking one frees a place
            LegacyConnections.Connection d = open(server, cs.get(2).route);
            pool.put(d);
            assertThat(d.raw.isClosed()).isFalse();
            cs.get(0).close();
        }
    }

    @Test
    void keepAliveZeroKeepsNothing() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LegacyConnections pool = new LegacyConnections(4, 100, Duration.ZERO)) {
            LegacyConnections.Route route = new LegacyConnections.Route(false, InetAddress.getLoopbackAddress(), server.getLocalPort(), "a");
            assertThat(pool.enabled()).isFalse();
            LegacyConnections.Connection c = open(server, route);
            pool.put(c);
            assertThat(c.raw.isClosed()).isTrue();
        }
    }
}
