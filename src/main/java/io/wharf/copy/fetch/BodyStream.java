package io.wharf.copy.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A legacy answer's bytes: first header lines, then the body, decoded from chunks when it is chunked, ending
 * exactly at its length. A body cut short, one that runs on past its Content-Length, and a read that stalls
 * longer than the stall timeout are IOExceptions that say so, and so is a body slower than its {@link Pace}.
 * On a connection that is kept open for the next
 * file, a body that ran on would arrive as the start of the next answer: any byte already there when the body
 * ends fails this one, and the connection is not used again unless its body ended exactly where it said.
 */
public final class BodyStream extends InputStream {

    public static class Truncated extends IOException {
        public Truncated(String message) {
            super(message);
        }
    }

    /** The body fell behind the pace an attempt must keep. */
    public static final class TooSlow extends Truncated {
        TooSlow(String message) {
            super(message);
        }
    }

    private static final Pattern CHUNK_SIZE = Pattern.compile("[0-9A-Fa-f]{1,15}");
    private static final int MAX_TRAILER_BYTES = 8192;

    private final InputStream in;
    private final Socket socket;
    private final String host;
    private final byte[] buffer = new byte[65536];
    private int pos;
    private int end;
    private long received; // bytes that arrived on the connection for this answer, headers included
    private long remaining; // body bytes left; -1 until the end of the stream; -2 chunked
    private long chunkLeft;
    private long read;
    private boolean done;
    private boolean keptOpen; // the server keeps the connection for another request
    private IOException failure;

    private long headerDeadline;
    private Pace pace;

    public BodyStream(InputStream in, Socket socket, String host) {
        this.in = in;
        this.socket = socket;
        this.host = host;
    }

    public void headerDeadline(long deadlineNanos) {
        this.headerDeadline = deadlineNanos;
    }

    /**
     * The headers are read: the body follows, of {@code length} bytes (-1 until the connection closes, -2
     * chunked), at no less than {@code minRate} bytes per second of the time since now once {@code allowance} has passed.
     */
    public void body(long length, Duration stall, boolean keptOpen, Duration allowance, long minRate) throws IOException {
        this.remaining = length;
        this.keptOpen = keptOpen && length != -1;
        this.headerDeadline = 0;
        this.pace = new Pace(host, allowance, minRate, stall);
        socket.setSoTimeout(pace.stallMillis());
    }

    /** Nothing at all arrived for this answer: on a reused connection, the server had closed it while it was idle. */
    public boolean nothingReceived() {
        return received == 0;
    }

    /** The body was read to its declared end and nothing followed it: the connection can carry the next request. */
    public boolean reusable() {
        return keptOpen && done && failure == null && pos == end && !pending();
    }

    /**
     * On a kept connection, bytes that arrived after the body had ended, although nothing was asked for since: the
     * body was longer than its Content-Length after all, sent late (in a later segment). Called once the body is
     * stored, to take it back; answers the failure, or null.
     */
    public Truncated lateOverrun() {
        if (!keptOpen || !done || failure != null || remaining == -2 || !pending()) {
            return null;
        }
        return fail("the body from " + host + " is longer than its Content-Length of " + read + " bytes (more arrived after it)");
    }

    private boolean pending() {
        try {
            return pos < end || in.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** The body's own failure (cut short, too long, stalled), if it had one; the S3 client may have wrapped it in something else. */
    public IOException failure() {
        return failure;
    }

    private Truncated fail(String message) {
        Truncated t = new Truncated(message);
        failure = t;
        return t;
    }

    private boolean fill() throws IOException {
        if (pos < end) {
            return true;
        }
        if (headerDeadline != 0) {
            long ms = (headerDeadline - System.nanoTime()) / 1_000_000;
            if (ms <= 0) {
                throw new SocketTimeoutException();
            }
            socket.setSoTimeout((int) ms);
        }
        int n;
        int silence = 0;
        try {
            if (headerDeadline == 0) {
                silence = pace.silenceAllowed();
                if (socket.getSoTimeout() != silence) {
                    socket.setSoTimeout(silence);
                }
            }
            n = in.read(buffer);
        } catch (SocketTimeoutException e) {
            if (headerDeadline != 0) {
                throw e; // still the answer's headers: a timeout of the request, said by the caller
            }
            if (silence < pace.stallMillis()) { // silent until it fell behind the pace
                throw slow();
            }
            throw fail("the body from " + host + " stalled after " + read + " bytes (no data for " + socket.getSoTimeout() / 1000 + " s)");
        }
        if (n <= 0) {
            return false;
        }
        pos = 0;
        end = n;
        received += n;
        if (headerDeadline == 0 && pace.arrived(n)) {
            throw slow();
        }
        return true;
    }

    private Truncated slow() {
        Truncated t = pace.tooSlow();
        failure = t;
        return t;
    }

    public String line(int[] budget) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (!fill()) {
                throw new IOException("the connection closed before the answer was complete");
            }
            byte b = buffer[pos++];
            if (--budget[0] < 0) {
                throw new IOException("the answer's headers are too large");
            }
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done || len == 0) {
            return done ? -1 : 0;
        }
        if (remaining == -2) {
            return chunked(b, off, len);
        }
        if (remaining == 0) {
            finish();
            return -1;
        }
        if (!fill()) {
            if (remaining > 0) {
                throw fail("the body from " + host + " ended after " + read + " bytes, " + remaining + " short of its Content-Length");
            }
            done = true;
            return -1;
        }
        int take = (int) Math.min(end - pos, remaining < 0 ? len : Math.min(len, remaining));
        System.arraycopy(buffer, pos, b, off, take);
        pos += take;
        read += take;
        if (remaining > 0) {
            remaining -= take;
            if (remaining == 0) {
                finish(); // before the last bytes go on: a body that runs on must never reach S3 as complete
            }
        }
        return take;
    }

    /** After Content-Length bytes: anything more than the declared body means the length was wrong. */
    private void finish() throws IOException {
        done = true;
        if (pos < end || in.available() > 0) {
            throw fail("the body from " + host + " is longer than its Content-Length of " + read + " bytes");
        }
        if (keptOpen) {
            return; // the server sends nothing more until asked; a byte arriving later keeps the connection from being reused
        }
        int before = socket.getSoTimeout();
        socket.setSoTimeout(200);
        try {
            if (in.read() >= 0) {
                throw fail("the body from " + host + " is longer than its Content-Length of " + read + " bytes");
            }
        } catch (SocketTimeoutException e) {
            // the server keeps the connection open without sending more: the body was complete
        } finally {
            socket.setSoTimeout(before);
        }
    }

    private int chunked(byte[] b, int off, int len) throws IOException {
        if (chunkLeft == 0) {
            if (read > 0 && !line(new int[] { 1024 }).isEmpty()) { // the CRLF after the previous chunk, and nothing else
                throw fail("the chunked body from " + host + " has more bytes in a chunk than its size says, after " + read + " bytes");
            }
            String size = line(new int[] { 1024 }).split(";", 2)[0].trim();
            if (!CHUNK_SIZE.matcher(size).matches()) {
                throw fail("the chunked body from " + host + " is malformed after " + read + " bytes");
            }
            chunkLeft = Long.parseLong(size, 16);
            if (chunkLeft == 0) {
                done = true;
                if (keptOpen) { // trailer fields up to the empty line end the answer; only then is the connection free
                    keptOpen = false;
                    try {
                        int[] budget = { MAX_TRAILER_BYTES };
                        while (!line(budget).isEmpty()) {
                            // trailers are not used
                        }
                        keptOpen = pos == end && in.available() == 0;
                    } catch (IOException e) {
                        // the body is complete; only the connection cannot be used again
                    }
                }
                return -1;
            }
        }
        if (!fill()) {
            throw fail("the chunked body from " + host + " ended after " + read + " bytes, inside a chunk");
        }
        int take = (int) Math.min(Math.min(end - pos, len), chunkLeft);
        System.arraycopy(buffer, pos, b, off, take);
        pos += take;
        read += take;
        chunkLeft -= take;
        return take;
    }
}
