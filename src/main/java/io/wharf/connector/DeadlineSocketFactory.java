package io.wharf.connector;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.SocketFactory;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The socket factory Wharf names to pgjdbc (never one from tenant text) for SQL connection tests. The
 * driver's own timeouts apply per read, and its loginTimeout only abandons a thread that keeps
 * connecting, so a server trickling a byte at a time could hold a connection forever. Every socket made
 * here is closed at the test's absolute deadline, which ends whatever the driver is doing with it.
 */
@RegisterForReflection // pgjdbc instantiates it by name
public final class DeadlineSocketFactory extends SocketFactory {

    private static final ScheduledExecutorService CLOSER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wharf-sql-test-deadline");
        t.setDaemon(true);
        return t;
    });

    private final long deadlineNanos;

    /** pgjdbc passes socketFactoryArg: the deadline as a {@link System#nanoTime()} value. */
    public DeadlineSocketFactory(String deadlineNanos) {
        this.deadlineNanos = Long.parseLong(deadlineNanos);
    }

    static String arg(long deadlineNanos) {
        return Long.toString(deadlineNanos);
    }

    @Override
    public Socket createSocket() {
        return new DeadlineSocket(deadlineNanos);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw new IOException("unconnected sockets only");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw new IOException("unconnected sockets only");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw new IOException("unconnected sockets only");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        throw new IOException("unconnected sockets only");
    }

    private static final class DeadlineSocket extends Socket {
        private final ScheduledFuture<?> closer;

        DeadlineSocket(long deadlineNanos) {
            this.closer = CLOSER.schedule(this::closeQuietly, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        private void closeQuietly() {
            try {
                super.close();
            } catch (IOException ignored) {
                // closing is all that matters
            }
        }

        @Override
        public synchronized void close() throws IOException {
            closer.cancel(false);
            super.close();
        }
    }
}
