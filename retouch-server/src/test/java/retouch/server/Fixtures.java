package retouch.server;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.synth.ImageGenerator;

/** Test images, PNG bytes, and a tiny fake generator (draws numbered bars) for the generate endpoint. */
final class Fixtures {
    private Fixtures() {}

    /** The bundled camera photo (512x512 gray). */
    static Image camera() {
        return ImageFiles.read(repoRoot().resolve("samples/camera.png"));
    }

    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("samples")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
        }
        throw new IllegalStateException("no checkout with samples/ above " + Path.of("").toAbsolutePath());
    }

    static byte[] png(Image im) {
        BufferedImage bi = ImageFiles.toBufferedImage(im);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(bi, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Image decode(byte[] png) throws IOException {
        BufferedImage bi = ImageIO.read(new java.io.ByteArrayInputStream(png));
        if (bi == null) throw new IOException("not an image");
        return ImageFiles.fromBufferedImage(bi);
    }

    /** A gray gradient with some texture, w x h. */
    static Image pattern(int w, int h) {
        Image im = new Image(1, h, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                im.set(0, y, x, (float) (0.5 + 0.3 * Math.sin(x / 5.0) * Math.cos(y / 7.0) + 0.15 * ((x / 8 + y / 8) % 2)));
            }
        }
        return im.clip();
    }

    /** σ (0-255) Gaussian noise, clipped and quantised to 8 bits as a PNG would carry it. */
    static Image noisy(Image clean, double sigma, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Image out = clean.copy();
        float[] d = out.data();
        for (int i = 0; i < d.length; i++) d[i] += (float) (sigma / 255.0 * gaussian(rng));
        return out.clip().quantize8();
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** A PNG whose IHDR claims width x height (valid CRC), followed by nothing useful. */
    static byte[] pngHeaderClaiming(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
        byte[] ihdr = new byte[17];
        System.arraycopy("IHDR".getBytes(), 0, ihdr, 0, 4);
        putInt(ihdr, 4, width);
        putInt(ihdr, 8, height);
        ihdr[12] = 8; // bit depth
        ihdr[13] = 0; // gray
        byte[] len = new byte[4];
        putInt(len, 0, 13);
        out.writeBytes(len);
        out.writeBytes(ihdr);
        CRC32 crc = new CRC32();
        crc.update(ihdr);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.writeBytes(c);
        // an IDAT chunk header with a little data, then the file ends
        byte[] idat = new byte[4];
        putInt(idat, 0, 100);
        out.writeBytes(idat);
        out.writeBytes("IDAT".getBytes());
        out.writeBytes(new byte[20]);
        return out.toByteArray();
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** Writes model.json of a fake conditional generator named {@code name} into {@code dir}. */
    static ModelMeta writeFakeGeneratorModel(Path dir, String name) throws IOException {
        ModelMeta meta = ModelMeta.builder("fake-bars").name(name).tasks("generate").channels(1, 1)
                .labels(List.of("one", "two", "three")).description("test generator: draws k bars for label k-1").build();
        Path folder = dir.resolve(name);
        Files.createDirectories(folder);
        Files.write(folder.resolve(ModelFile.META_FILE), ModelFile.json().writeValueAsBytes(meta));
        return meta;
    }

    /**
     * A generator that draws {@code label+1} white bars on black (random offsets from the seed),
     * 16x16; it sleeps {@code delayMillis} per call so tests can fill the work queue.
     */
    static final class FakeGenerator implements ImageGenerator {
        final ModelMeta meta;
        final long delayMillis;
        volatile boolean closed;
        volatile float lastTemperature = Float.NaN;

        FakeGenerator(ModelMeta meta, long delayMillis) {
            this.meta = meta;
            this.delayMillis = delayMillis;
        }

        @Override public ModelMeta meta() { return meta; }

        @Override
        public List<Image> sample(int n, int label, long seed, float temperature) {
            lastTemperature = temperature;
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            SplittableRandom rng = new SplittableRandom(seed);
            List<Image> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = (label < 0 ? i % labels().size() : label) + 1;
                Image im = new Image(1, 16, 16);
                int off = rng.nextInt(3);
                for (int b = 0; b < k; b++) {
                    for (int y = 2; y < 14; y++) im.set(0, y, off + 1 + 4 * b, 1f);
                }
                out.add(im);
            }
            return out;
        }

        @Override public int latentSize() { return 1; }

        @Override public float[] latents(int n, long seed, float temperature) { return new float[n]; }

        @Override public List<Image> decode(float[] z, int[] labels) { return sample(z.length, labels == null ? -1 : labels[0], 0, 1f); }

        @Override
        public int labelIndex(String label) {
            List<String> ls = labels();
            for (int i = 0; i < ls.size(); i++) if (ls.get(i).equalsIgnoreCase(label)) return i;
            try {
                int i = Integer.parseInt(label);
                if (i >= 0 && i < ls.size()) return i;
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new retouch.RetouchException("unknown label '" + label + "'; use one of " + ls + " or 0.." + (ls.size() - 1));
        }

        @Override public void close() { closed = true; }
    }
}
