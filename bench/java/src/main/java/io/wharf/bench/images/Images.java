package io.wharf.bench.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Real, decodable photos for the BMA benchmark and sample, made with the JDK alone (no ImageMagick or PIL on
 * a fresh machine, and Java is there for Wharf anyway). Run from the bench jar (bench_java in bench/lib/common.sh):
 *
 * <pre>
 *   bench_java io.wharf.bench.images.Images jpeg BYTES OUT...   JPEGs of exactly BYTES bytes each (noisy "photos", topped up with a comment segment)
 *   bench_java io.wharf.bench.images.Images png OUT...          small PNGs
 *
 * Each file of one call shows a different picture (the seed is its position), and the same call always
 * writes the same bytes.
 * </pre>
 *
 * The pixels are noisy on purpose: like a real photo they do not compress, so the bytes Wharf moves are as
 * costly as a camera's.
 */
public class Images {

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        switch (args[0]) {
            case "jpeg" -> {
                for (int i = 2; i < args.length; i++) {
                    Files.write(Path.of(args[i]), jpeg(Integer.parseInt(args[1]), i - 1));
                }
            }
            case "png" -> {
                for (int i = 1; i < args.length; i++) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    ImageIO.write(picture(320, 240, 100 + i, 8), "png", out);
                    Files.write(Path.of(args[i]), out.toByteArray());
                }
            }
            default -> throw new IllegalArgumentException("usage: jpeg BYTES OUT... | png OUT...");
        }
    }

    /** The largest-quality encoding that fits, then a COM segment of random bytes up to exactly {@code size}. */
    static byte[] jpeg(int size, long seed) throws IOException {
        BufferedImage img = picture(480, 360, seed, 40);
        for (float q = 0.95f; q > 0.05f; q -= 0.05f) {
            byte[] b = encode(img, q);
            if (b.length + 4 <= size) {
                return pad(b, size, seed);
            }
        }
        throw new IllegalStateException("cannot make a JPEG as small as " + size + " bytes");
    }

    /** A gradient sky, a few coloured boxes (bales of waste, say) and sensor noise. */
    static BufferedImage picture(int w, int h, long seed, int noise) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int y = 0; y < h; y++) {
            g.setColor(new Color(60 + 120 * y / h, 120 + 60 * y / h, 200 - 100 * y / h));
            g.drawLine(0, y, w, y);
        }
        for (int i = 0; i < 12; i++) {
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            g.fillRect(r.nextInt(w), h / 3 + r.nextInt(2 * h / 3), 20 + r.nextInt(w / 4), 20 + r.nextInt(h / 4));
        }
        g.dispose();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int d = r.nextInt(2 * noise + 1) - noise;
                int red = clamp(((rgb >> 16) & 0xff) + d), green = clamp(((rgb >> 8) & 0xff) + d), blue = clamp((rgb & 0xff) + d);
                img.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage img, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(quality);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream s = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(s);
            writer.write(null, new IIOImage(img, null, null), p);
        }
        writer.dispose();
        return out.toByteArray();
    }

    /** Inserts COM segments (FF FE, length, bytes; at most 65,533 bytes each) right after SOI; decoders skip them. */
    static byte[] pad(byte[] jpeg, int size, long seed) {
        Random r = new Random(seed ^ 0x5eed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write(jpeg, 0, 2);
        int missing = size - jpeg.length;
        while (missing > 0) {
            int segment = Math.min(missing, 65535 + 2); // marker (2) + length field (2) + payload
            if (missing - segment > 0 && missing - segment < 4) {
                segment -= 4; // leave room for one more whole segment
            }
            int payload = segment - 4;
            out.write(0xff);
            out.write(0xfe);
            out.write((payload + 2) >> 8);
            out.write((payload + 2) & 0xff);
            byte[] bytes = new byte[payload];
            r.nextBytes(bytes);
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == (byte) 0xff) {
                    bytes[i] = 0x7f; // not needed inside a segment, but keeps naive scanners happy
                }
            }
            out.write(bytes, 0, bytes.length);
            missing -= segment;
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
