package retouch.nn.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;
import retouch.RetouchException;
import retouch.nn.SeededManager;

class DiffAugmentTest {

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i % 97) / 48.5f - 1f;
        return v;
    }

    @Test
    void parsesPoliciesAndRejectsUnknownOnes() {
        assertEquals("none", DiffAugment.parse("none").id());
        assertEquals("none", DiffAugment.parse("").id());
        assertEquals("color,translation,cutout", DiffAugment.parse("cutout, colour,translation").id());
        RetouchException e = assertThrows(RetouchException.class, () -> DiffAugment.parse("color,flip"));
        assertTrue(e.getMessage().contains("flip"), e.getMessage());
    }

    @Test
    void noneReturnsTheInputItself() {
        try (NDManager m = SeededManager.open(1)) {
            NDArray x = m.create(ramp(2 * 3 * 8 * 8), new Shape(2, 3, 8, 8));
            assertSame(x, DiffAugment.none().apply(m, x, new Random(1)));
        }
    }

    /** How many of {@code n} one-channel images of {@code plane} pixels have a pixel other than {@code fill}. */
    private static int imagesChanged(float[] px, int n, int plane, float fill) {
        int changed = 0;
        for (int k = 0; k < n; k++) {
            for (int p = 0; p < plane; p++) {
                if (px[k * plane + p] != fill) {
                    changed++;
                    break;
                }
            }
        }
        return changed;
    }

    @Test
    void probabilityDecidesHowManyImagesAreTransformed() {
        try (NDManager m = SeededManager.open(1)) {
            int n = 400, c = 1, h = 8, w = 8, plane = h * w;
            float[] src = new float[n * c * plane];
            java.util.Arrays.fill(src, 0.5f);
            NDArray x = m.create(src, new Shape(n, c, h, w));
            DiffAugment cut = DiffAugment.parse("cutout");
            assertSame(x, cut.setProbability(0f).apply(m, x, new Random(5)), "probability 0: the input itself");
            int changed = imagesChanged(cut.setProbability(0.25f).apply(m, x, new Random(5)).toFloatArray(), n, plane, 0.5f);
            // 400 images at 0.25: 100 expected, binomial sd 8.7 (every chosen cutout zeroes a part of the image)
            assertTrue(changed > 70 && changed < 130, changed + " of 400 images cut");
            assertEquals(n, imagesChanged(cut.setProbability(1f).apply(m, x, new Random(5)).toFloatArray(), n, plane, 0.5f),
                    "probability 1: every image");
            // probability 1 draws exactly what it drew before probabilities existed (seeded runs
            // resume identically): colour 3 floats per image (brightness, saturation, contrast),
            // translation and cutout 4 ints per image, nothing else
            Random used = new Random(9), expected = new Random(9);
            NDArray rgb = m.create(ramp(5 * 3 * 8 * 8), new Shape(5, 3, 8, 8));
            DiffAugment.parse("color,translation,cutout").apply(m, rgb, used);
            for (int i = 0; i < 3 * 5; i++) expected.nextFloat();
            for (int i = 0; i < 4 * 5; i++) expected.nextInt(3);
            assertEquals(expected.nextLong(), used.nextLong());
            assertThrows(RetouchException.class, () -> cut.setProbability(1.5f));
        }
    }

    @Test
    void translationMovesPixelsAndFillsWithZero() {
        try (NDManager m = SeededManager.open(1)) {
            int n = 4, c = 2, h = 16, w = 16;
            float[] src = ramp(n * c * h * w);
            for (int i = 0; i < src.length; i++) if (src[i] == 0f) src[i] = 0.5f; // no true zeros in the source
            NDArray x = m.create(src, new Shape(n, c, h, w));
            float[] out = DiffAugment.parse("translation").apply(m, x, new Random(3)).toFloatArray();
            assertEquals(src.length, out.length);
            for (int k = 0; k < n; k++) {
                // Find the shift of this sample from one interior pixel, then check every pixel against it.
                int[] shift = findShift(src, out, k, c, h, w);
                assertTrue(Math.abs(shift[0]) <= 2 && Math.abs(shift[1]) <= 2, "shift within 1/8 of 16 px");
                for (int ch = 0; ch < c; ch++) {
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            int si = i - shift[0], sj = j - shift[1];
                            float want = si >= 0 && si < h && sj >= 0 && sj < w ? src[((k * c + ch) * h + si) * w + sj] : 0f;
                            assertEquals(want, out[((k * c + ch) * h + i) * w + j], 0f, "sample " + k + " at " + i + "," + j);
                        }
                    }
                }
            }
        }
    }

    private static int[] findShift(float[] src, float[] out, int k, int c, int h, int w) {
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                boolean ok = true;
                for (int i = 4; i < h - 4 && ok; i++) {
                    for (int j = 4; j < w - 4 && ok; j++) {
                        ok = src[(k * c * h + i - dy) * w + j - dx] == out[(k * c * h + i) * w + j];
                    }
                }
                if (ok) return new int[] {dy, dx};
            }
        }
        throw new AssertionError("no shift of at most 2 px explains sample " + k);
    }

    @Test
    void cutoutZeroesASquareOfHalfTheSide() {
        try (NDManager m = SeededManager.open(1)) {
            NDArray x = m.ones(new Shape(8, 1, 16, 16));
            float[] out = DiffAugment.parse("cutout").apply(m, x, new Random(5)).toFloatArray();
            for (int k = 0; k < 8; k++) {
                int zeros = 0;
                for (int p = 0; p < 256; p++) if (out[k * 256 + p] == 0f) zeros++;
                // 8×8 = 64 when the square lies inside; fewer when it hangs over the border.
                assertTrue(zeros > 0 && zeros <= 64, "sample " + k + ": " + zeros + " zeroed pixels");
            }
        }
    }

    @Test
    void colourKeepsShapeAndGradientsReachTheInput() {
        try (NDManager m = SeededManager.open(1)) {
            NDArray x = m.create(ramp(2 * 3 * 8 * 8), new Shape(2, 3, 8, 8));
            x.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                y = DiffAugment.parse("color,translation,cutout").apply(m, x, new Random(2));
                gc.backward(y.sum());
            }
            assertEquals(x.getShape(), y.getShape());
            float[] g = x.getGradient().toFloatArray();
            double total = 0;
            for (float v : g) total += Math.abs(v);
            assertTrue(total > 1, "gradient reaches the input, |g| sum " + total);
            // Same seed, same augmentation: a resumed run sees the same transforms.
            NDArray a = DiffAugment.parse("color,translation,cutout").apply(m, x.stopGradient(), new Random(7));
            NDArray b = DiffAugment.parse("color,translation,cutout").apply(m, x.stopGradient(), new Random(7));
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f);
        }
    }
}
