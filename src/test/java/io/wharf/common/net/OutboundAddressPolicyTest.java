package io.wharf.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every special-purpose range, written as literals so that no DNS is involved. */
@Tag("unit")
class OutboundAddressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {
            // IPv4
            "0.1.2.3", "10.1.2.3", "100.64.0.1", "100.127.255.254", "127.0.0.1", "169.254.169.254", "172.16.0.1", "172.31.255.255",
            "192.0.0.8", "192.0.2.1", "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9",
            "224.0.0.1", "240.0.0.1", "255.255.255.255",
            // IPv6 natives
            "::", "::1", "fe80::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1", "100::1", "2001:db8::1", "3fff::1",
            // Teredo 2001::/32 and the rest of the IETF block 2001::/23
            "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:2::1", "2001:10::1", "2001:1ff::1",
            // IPv4-mapped and IPv4-compatible
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "::10.0.0.5", "::8.8.8.8",
            // NAT64 64:ff9b::/96 carrying an internal IPv4, and local-use NAT64 64:ff9b:1::/48 whatever it carries
            "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::10.0.0.5", "64:ff9b:1::8.8.8.8",
            // 6to4 2002::/16 carrying an internal IPv4
            "2002:7f00:1::1", "2002:a9fe:a9fe::", "2002:c0a8:101::1", "2002:0a00:0005::1" })
    void internal(String literal) throws Exception {
        assertThat(OutboundAddressPolicy.isInternal(InetAddress.getByName(literal))).as(literal).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "8.8.8.8", "1.1.1.1", "93.184.215.14", "100.63.255.255", "100.128.0.1", "172.32.0.1", "192.0.3.1",
            "198.20.0.1", "203.0.114.1", "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8",
            "64:ff9b::808:808", "2002:808:808::1", "2001:200::1" })
    void publicAddressesStayReachable(String literal) throws Exception {
        assertThat(OutboundAddressPolicy.isInternal(InetAddress.getByName(literal))).as(literal).isFalse();
    }
}
