package retouch.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import retouch.RetouchException;
import retouch.metrics.Png8;

class ResizeTest {
    private static Image random(int c, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Image im = new Image(c, h, w);
        for (int i = 0; i < im.data().length; i++) im.data()[i] = (float) r.nextDouble();
        return im;
    }

    @Test
    void constantStaysConstant() {
        Image im = Image.filled(3, 37, 50, 0.3f);
        for (Resize.Method m : Resize.Method.values()) {
            for (double s : new double[] {0.25, 1 / 3.0, 0.5, 0.7, 1.6, 2, 3}) {
                Image out = Resize.scale(im, s, m);
                assertEquals((int) Math.ceil(37 * s - 1e-9), out.height());
                assertEquals((int) Math.ceil(50 * s - 1e-9), out.width());
                for (float v : out.data()) assertEquals(0.3f, v, 1e-6f, m + " x" + s);
            }
        }
    }

    @Test
    void areaByTwoIsBlockMean() {
        Image im = random(1, 8, 10, 1);
        Image out = Resize.scale(im, 0.5, Resize.Method.AREA);
        assertEquals(4, out.height());
        assertEquals(5, out.width());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                float mean = (im.get(0, 2 * y, 2 * x) + im.get(0, 2 * y + 1, 2 * x) + im.get(0, 2 * y, 2 * x + 1) + im.get(0, 2 * y + 1, 2 * x + 1)) / 4;
                assertEquals(mean, out.get(0, y, x), 1e-6f);
            }
        }
    }

    @Test
    void bicubicTimesOneIsIdentity() {
        Image im = random(3, 9, 7, 2);
        assertArrayEquals(im.data(), Resize.bicubic(im, 1.0).data(), 0f);
        assertArrayEquals(im.data(), Resize.resize(im, 9, 7, Resize.Method.BICUBIC).data(), 0f);
    }

    @Test
    void linearRampStaysLinearInInterior() {
        int h = 40, w = 48;
        Image im = new Image(1, h, w);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) im.set(0, y, x, 0.01f * x + 0.005f * y);
        for (double s : new double[] {0.25, 0.5, 2.0}) {
            Image out = Resize.bicubic(im, s);
            // output sample i (0-based) sits at input coordinate (i + 0.5)/s − 0.5
            for (int y = 3; y < out.height() - 3; y++) {
                for (int x = 3; x < out.width() - 3; x++) {
                    double ix = (x + 0.5) / s - 0.5, iy = (y + 0.5) / s - 0.5;
                    assertEquals(0.01 * ix + 0.005 * iy, out.get(0, y, x), 1e-5, "scale " + s + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void nearestPicksSamples() {
        Image im = random(1, 6, 6, 3);
        Image out = Resize.scale(im, 0.5, Resize.Method.NEAREST);
        // floor((i + 0.5)·2) = 2i + 1
        assertEquals(im.get(0, 1, 3), out.get(0, 0, 1));
        Image up = Resize.scale(im, 2, Resize.Method.NEAREST);
        assertEquals(im.get(0, 2, 4), up.get(0, 5, 9));
    }

    @Test
    void matchesMatlabImresizeKnownAnswers() {
        // reference values: a NumPy port of MATLAB imresize (KAIR utils_image.imresize_np) on Set12 01.png / 255
        Image x = Png8.resource("set12-01.png");
        Image q = Resize.bicubic(x, 0.25);
        assertEquals(64, q.height());
        assertArrayEquals(new float[] {0.67864991f, 0.68426995f, 0.68776116f, 0.69231527f},
                new float[] {q.get(0, 10, 10), q.get(0, 10, 11), q.get(0, 10, 12), q.get(0, 10, 13)}, 2e-6f);
        assertArrayEquals(new float[] {0.61587406f, 0.61801702f, 0.61785743f}, new float[] {q.get(0, 0, 0), q.get(0, 0, 1), q.get(0, 0, 2)}, 2e-6f);
        Image z = Resize.bicubic(x.crop(0, 0, 37, 41), 0.5);
        assertEquals(19, z.height());
        assertEquals(21, z.width());
        assertEquals(0.6174256f, z.get(0, 0, 0), 2e-6f);
        assertEquals(0.67311294f, z.get(0, 18, 20), 2e-6f);
        Image u = Resize.bicubic(x.crop(0, 0, 20, 20), 2);
        assertEquals(0.60888097f, u.get(0, 0, 0), 2e-6f);
        assertEquals(0.61062107f, u.get(0, 5, 6), 2e-6f);
        Image t = Resize.bicubic(x.crop(0, 0, 30, 30), 1 / 3.0);
        assertEquals(10, t.height());
        assertEquals(0.61823909f, t.get(0, 2, 3), 2e-6f);
    }

    @Test
    void arbitrarySizeAndRgb() {
        Image im = random(3, 20, 30, 4);
        Image out = Resize.resize(im, 13, 47, Resize.Method.BICUBIC);
        assertEquals(3, out.channels());
        assertEquals(13, out.height());
        assertEquals(47, out.width());
        // channels are resized independently
        Image g = Resize.resize(im.channel(1), 13, 47, Resize.Method.BICUBIC);
        assertArrayEquals(g.data(), out.channel(1).data(), 0f);
    }

    @Test
    void badMethodName() {
        RetouchException e = assertThrows(RetouchException.class, () -> Resize.Method.parse("lanczos"));
        assertEquals(true, e.getMessage().contains("bicubic"));
    }
}
