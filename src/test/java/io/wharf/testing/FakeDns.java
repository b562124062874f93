package io.wharf.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server on loopback UDP for tests, answering from fixed rules so that tests need not register
 * names: {@code *.public.dns.test} has the A record {@link #PUBLIC_ADDRESS}, {@code *.blackhole.dns.test}
 * is never answered (a server that has gone silent), {@code *.servfail.dns.test} answers SERVFAIL, and
 * every other name does not exist (NXDOMAIN), as the machine's own resolver answers for test names.
 * The port is ephemeral unless {@code wharf-test.dns-port} says otherwise (53 lets the system resolver
 * of a private mount namespace with its own resolv.conf use it).
 */
public final class FakeDns implements AutoCloseable {

    /** A public (not internal) address no test ever connects to. */
    public static final String PUBLIC_ADDRESS = "198.51.99.7";

    private static FakeDns shared;

    private final DatagramSocket socket;
    private final Thread thread;
    private final AtomicInteger unanswered = new AtomicInteger();
    private final Set<String> silentlyAsked = ConcurrentHashMap.newKeySet();

    private FakeDns(int port) throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        thread = new Thread(this::serve, "fake-dns");
        thread.setDaemon(true);
        thread.start();
    }

    public static FakeDns start() {
        try {
            return new FakeDns(0);
        } catch (SocketException e) {
            throw new IllegalStateException("fake DNS server could not bind", e);
        }
    }

    /** The one server of this test JVM, which the test resource hands to every Quarkus boot. */
    public static synchronized FakeDns shared() {
        if (shared == null) {
            try {
                shared = new FakeDns(Integer.getInteger("wharf-test.dns-port", 0));
            } catch (SocketException e) {
                throw new IllegalStateException("fake DNS server could not bind", e);
            }
        }
        return shared;
    }

    /** For wharf.outbound.dns-servers. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** Queries for black-holed names received so far (none was answered). */
    public int unanswered() {
        return unanswered.get();
    }

    /** Whether a black-holed name was asked for (and not answered). */
    public boolean asked(String host) {
        return silentlyAsked.contains(host.toLowerCase(Locale.ROOT));
    }

    @Override
    public void close() {
        socket.close();
    }

    private void serve() {
        byte[] buf = new byte[1500];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                byte[] answer = answer(ByteBuffer.wrap(p.getData(), 0, p.getLength()));
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] answer(ByteBuffer q) {
        int id = q.getShort(0) & 0xffff;
        int flags = q.getShort(2) & 0xffff;
        if ((q.getShort(4) & 0xffff) != 1) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        int at = 12;
        for (int len = q.get(at) & 0xff; len > 0; len = q.get(at) & 0xff) {
            name.append(name.length() == 0 ? "" : ".").append(new String(q.array(), q.arrayOffset() + at + 1, len, StandardCharsets.US_ASCII));
            at += len + 1;
        }
        int questionEnd = at + 5; // the root label, QTYPE, QCLASS
        int type = q.getShort(at + 1) & 0xffff;
        String host = name.toString().toLowerCase(Locale.ROOT);
        if (host.endsWith(".blackhole.dns.test")) {
            silentlyAsked.add(host);
            unanswered.incrementAndGet();
            return null;
        }
        boolean exists = host.endsWith(".public.dns.test");
        int rcode = host.endsWith(".servfail.dns.test") ? 2 : exists ? 0 : 3;
        boolean withAnswer = exists && type == 1;
        ByteBuffer r = ByteBuffer.allocate(questionEnd + (withAnswer ? 16 : 0));
        r.putShort((short) id);
        r.putShort((short) (0x8000 | (flags & 0x7900) | 0x0080 | rcode)); // QR, the query's opcode and RD, RA
        r.putShort((short) 1).putShort((short) (withAnswer ? 1 : 0)).putShort((short) 0).putShort((short) 0);
        r.put(q.array(), q.arrayOffset() + 12, questionEnd - 12);
        if (withAnswer) {
            r.putShort((short) 0xC00C).putShort((short) 1).putShort((short) 1).putInt(30).putShort((short) 4);
            for (String octet : PUBLIC_ADDRESS.split("\\.")) {
                r.put((byte) Integer.parseInt(octet));
            }
        }
        return r.array();
    }
}
