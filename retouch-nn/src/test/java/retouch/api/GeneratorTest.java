package retouch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.nn.store.ModelMeta;
import retouch.nn.synth.ImageGenerator;

/** The generator facade over a tiny fake {@link ImageGenerator} (fills each image with label/10 + a seed-dependent offset). */
class GeneratorTest {

    static final class Fake implements ImageGenerator {
        final ModelMeta meta;
        boolean closed;
        final List<Integer> labelsSeen = new ArrayList<>();

        Fake(List<String> labels) {
            meta = ModelMeta.builder("fake").name("fake-gen").tasks("generate").labels(labels).build();
        }

        @Override public ModelMeta meta() { return meta; }

        @Override
        public List<Image> sample(int n, int label, long seed, float temperature) {
            labelsSeen.add(label);
            List<Image> out = new ArrayList<>();
            for (int i = 0; i < n; i++) out.add(Image.filled(1, 8, 6, Math.max(0, label) / 10f + (seed % 7) / 100f));
            return out;
        }

        @Override public int latentSize() { return 2; }

        @Override public float[] latents(int n, long seed, float temperature) { return new float[n * 2]; }

        @Override public List<Image> decode(float[] z, int[] labels) { return sample(z.length / 2, -1, 0, 1f); }

        @Override
        public int labelIndex(String label) {
            int i = labels().stream().map(String::toLowerCase).toList().indexOf(label.toLowerCase());
            if (i >= 0) return i;
            try {
                return Integer.parseInt(label);
            } catch (NumberFormatException e) {
                throw new RetouchException("unknown label '" + label + "'");
            }
        }

        @Override public void close() { closed = true; }
    }

    @Test
    void samplesByNameOrIndex() {
        Fake fake = new Fake(List.of("tshirt", "trouser", "sneaker"));
        try (Generator g = Generator.of(fake)) {
            assertEquals("fake-gen", g.name());
            assertTrue(g.conditional());
            List<BufferedImage> shoes = g.sample(4, "Sneaker", 3);
            assertEquals(4, shoes.size());
            assertEquals(6, shoes.get(0).getWidth());
            assertEquals(2, fake.labelsSeen.get(0));
            List<BufferedImage> trousers = g.sample(2, 1, 3);
            assertEquals(2, trousers.size());
            g.sample(1, (String) null, 0);
            assertEquals(-1, (int) fake.labelsSeen.get(2), "no label: every class in turn");
            BufferedImage grid = g.grid(5, 0, 1);
            assertEquals(3 * 6 + 4 * 2, grid.getWidth(), "ceil(sqrt(5)) = 3 columns, 2 px gutters");
            assertEquals(2 * 8 + 3 * 2, grid.getHeight());
        }
        assertTrue(fake.closed, "closing the facade closes the generator");
    }

    @Test
    void checksArguments() {
        try (Generator g = Generator.of(new Fake(List.of("a", "b")))) {
            assertThrows(RetouchException.class, () -> g.sample(0, 0, 1));
            assertThrows(RetouchException.class, () -> g.sample(Generator.MAX_SAMPLES + 1, 0, 1));
            assertThrows(RetouchException.class, () -> g.sample(1, 2, 1));
            assertThrows(RetouchException.class, () -> g.sample(1, "c", 1));
            assertThrows(RetouchException.class, () -> g.sampleImages(1, 0, 1, 0f));
        }
        try (Generator u = Generator.of(new Fake(List.of()))) {
            assertFalse(u.conditional());
            assertEquals(3, u.sample(3, -1, 1).size());
            assertThrows(RetouchException.class, () -> u.sample(1, 0, 1), "an unconditional model takes no label");
        }
    }

    @Test
    void loadRefusesModelsThatAreNotGenerators() {
        RetouchException e = assertThrows(RetouchException.class, () -> Generator.load("denoise-gray"));
        assertTrue(e.getMessage().contains("not an image generator") || e.getMessage().contains("generat"), e.getMessage());
        assertThrows(RetouchException.class, () -> Generator.load("no-such-generator"));
    }

    @Test
    void ganStartsFromAPictureByProjection() {
        try (Generator g = Generator.load("gan-mnist")) {
            assertTrue(g.canEncode());
            BufferedImage picture = g.sample(1, -1, 5).get(0);
            BufferedImage again = g.reconstruct(picture, -1);
            double psnr = retouch.metrics.Psnr.of(retouch.image.ImageFiles.fromBufferedImage(picture),
                    retouch.image.ImageFiles.fromBufferedImage(again));
            // The picture is one the generator made, so a good projection finds it closely.
            assertTrue(psnr > 20, "reconstruction of an own sample: " + psnr + " dB");
            List<BufferedImage> same = g.like(picture, 2, -1, 1, 0f);
            List<BufferedImage> near = g.like(picture, 2, -1, 1, 0.5f);
            assertEquals(2, near.size());
            assertTrue(java.util.Arrays.equals(pixels(same.get(0)), pixels(same.get(1))), "spread 0: the reconstruction each time");
            assertFalse(java.util.Arrays.equals(pixels(near.get(0)), pixels(near.get(1))), "spread 0.5: different images");
            BufferedImage other = g.sample(1, -1, 6).get(0);
            assertEquals(5, g.interpolate(picture, other, 5, -1).size());
        }
    }

    private static int[] pixels(BufferedImage im) {
        return im.getRGB(0, 0, im.getWidth(), im.getHeight(), null, 0, im.getWidth());
    }
}
