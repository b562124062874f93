package io.wharf.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Allow-list entries with ports, the allowed ports, Wharf's own endpoint in any spelling, and browser-like escaping. */
@Tag("unit")
class OutboundUrlPolicyTest {

    private static final Set<Integer> WEB = Set.of(80, 443);
    private static final HostResolver RESOLVER = new HostResolver(List.of(), Duration.ofSeconds(2), 8);

    private static OutboundUrlPolicy policy(List<String> allowed, String endpoint) {
        return new OutboundUrlPolicy("a test", OutboundAddressPolicy.of(RESOLVER, false, List.of(), 2), AllowedHost.parse(allowed), WEB,
                OwnEndpoint.of(Optional.ofNullable(endpoint).map(URI::create)));
    }

    private static boolean allowed(OutboundUrlPolicy p, String url) {
        try {
            p.check(URI.create(url), HostResolver.OPERATOR, System.nanoTime() + 2_000_000_000L);
            return true;
        } catch (OutboundAddressPolicy.Refused e) {
            return false;
        }
    }

    @Test
    void entriesNameAHostAndOptionallyAPortOrEveryPort() {
        assertThat(AllowedHost.parse(List.of("Legacy.Internal.", "legacy.internal:8080", "[fd00::5]:8443", "fd00::5", "files:*", "[::1]")))
                .containsExactly(new AllowedHost("legacy.internal", AllowedHost.DEFAULT_PORTS), new AllowedHost("legacy.internal", 8080),
                        new AllowedHost("fd00:0:0:0:0:0:0:5", 8443), new AllowedHost("fd00:0:0:0:0:0:0:5", AllowedHost.DEFAULT_PORTS),
                        new AllowedHost("files", AllowedHost.ANY_PORT), new AllowedHost("0:0:0:0:0:0:0:1", AllowedHost.DEFAULT_PORTS));
        for (String bad : List.of("legacy:0", "legacy:65536", "legacy:http")) {
            assertThatThrownBy(() -> AllowedHost.parse(List.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anEntryWithoutAPortAllowsOnlyTheAllowedPortsAndOneWithAPortOnlyThatPort() {
        OutboundUrlPolicy p = policy(List.of("127.0.0.2:8080", "127.0.0.3", "[::1]:*"), null);
        assertThat(allowed(p, "http://127.0.0.2:8080/a.jpg")).isTrue();
        assertThat(allowed(p, "http://127.0.0.2:8081/a.jpg")).isFalse(); // neither listed nor an allowed port
        assertThat(allowed(p, "http://127.0.0.2/a.jpg")).isFalse(); // an allowed port, but the entry opens 8080 only
        assertThat(allowed(p, "http://127.0.0.3/a.jpg")).isTrue();
        assertThat(allowed(p, "https://127.0.0.3/a.jpg")).isTrue();
        assertThat(allowed(p, "http://127.0.0.3:5432/a.jpg")).isFalse();
        assertThat(allowed(p, "http://[0:0::1]:6379/a.jpg")).isTrue();
        assertThat(allowed(p, "http://127.0.0.4/a.jpg")).isFalse();
        assertThat(allowed(p, "http://93.184.215.14/a.jpg")).isTrue();
        assertThat(allowed(p, "http://93.184.215.14:8080/a.jpg")).isFalse();
    }

    @Test
    void aRefusalDoesNotSayWhatANameResolvedToButItsDetailDoes() throws Exception {
        InetAddress self = InetAddress.getLocalHost();
        Assumptions.assumeTrue(OutboundAddressPolicy.isInternal(self) && !self.getHostName().equals("localhost"));
        assertThatThrownBy(
                () -> policy(List.of(), null).check(URI.create("http://" + self.getHostName() + "/a.jpg"), HostResolver.OPERATOR,
                        System.nanoTime() + 2_000_000_000L))
                .isInstanceOfSatisfying(OutboundAddressPolicy.Refused.class, e -> {
                    assertThat(e.getMessage()).contains("internal address").doesNotContain(self.getHostAddress());
                    assertThat(e.detail()).contains(self.getHostAddress());
                });
    }

    @Test
    void everySpellingOfTheS3EndpointIsRefusedAsAnOutsideUrl() throws Exception {
        String self = InetAddress.getLocalHost().getHostName();
        OutboundUrlPolicy p = policy(List.of("127.0.0.1:*", "localhost:*", "0.0.0.0:*", "[::1]:*", self + ":*"), "http://127.0.0.1:9000");
        boolean selfIsThisMachine = InetAddress.getLocalHost().isLoopbackAddress()
                || NetworkInterface.getByInetAddress(InetAddress.getLocalHost()) != null;
        for (String url : List.of("http://127.0.0.1:9000/b/k", "https://127.0.0.1:9000/b/k", "http://localhost:9000/b/k", "http://LOCALHOST.:9000/",
                "http://[::ffff:127.0.0.1]:9000/b/k", "http://[::1]:9000/b/k", "http://0.0.0.0:9000/b/k")) {
            assertThat(allowed(p, url)).as(url).isFalse();
        }
        assertThat(allowed(p, "http://" + self + ":9000/b/k")).as("the machine's own name, by its address").isEqualTo(!selfIsThisMachine);
        assertThat(allowed(p, "http://127.0.0.1:9001/b/k")).isTrue();
        assertThat(allowed(p, "http://localhost:80/b/k")).isTrue();
    }

    @Test
    void urlsAreEscapedAsABrowserWould() {
        assertThat(LenientUrl.escape("http://h/a b|{c}^é[1].pdf?q=a b&x=\"y\"#f#g"))
                .isEqualTo("http://h/a%20b%7C%7Bc%7D%5E%C3%A9%5B1%5D.pdf?q=a%20b&x=%22y%22#f%23g");
        assertThat(LenientUrl.escape("http://h/100%.jpg?p=%zz")).isEqualTo("http://h/100%25.jpg?p=%25zz");
        assertThat(LenientUrl.escape("http://h/a%20b%2F.jpg")).isEqualTo("http://h/a%20b%2F.jpg"); // escapes already there stay
        assertThat(LenientUrl.escape("http://bücher.example:8080/a")).isEqualTo("http://xn--bcher-kva.example:8080/a");
        assertThat(LenientUrl.escape("http://[::1]:80/a")).isEqualTo("http://[::1]:80/a");
        assertThat(LenientUrl.escape("/files/a b")).isEqualTo("/files/a%20b");
    }
}
