package retouch.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.image.Image;
import retouch.image.Resize;

class TilerTest {
    private static Image random(int c, int h, int w) {
        SplittableRandom r = new SplittableRandom(3);
        Image im = new Image(c, h, w);
        for (int i = 0; i < im.data().length; i++) im.data()[i] = (float) r.nextDouble();
        return im;
    }

    @Test
    void pointwiseFunctionIsReproducedExactlyAcrossTiles() {
        Image in = random(3, 301, 517);
        Image out = new Tiler(64, 16, 2).apply(in, t -> {
            Image o = t.copy();
            for (int i = 0; i < o.data().length; i++) o.data()[i] = o.data()[i] * 2 - 0.25f;
            return o;
        });
        assertEquals(in.height(), out.height());
        assertEquals(in.width(), out.width());
        for (int i = 0; i < in.data().length; i++) assertEquals(in.data()[i] * 2 - 0.25f, out.data()[i], 1e-5f);
    }

    @Test
    void localFilterMatchesWholeImageAwayFromTileEdges() {
        Image in = random(1, 200, 200);
        // A 3x3 box filter with reflect borders: tiles with 16 px overlap must agree with the whole-image result.
        java.util.function.UnaryOperator<Image> box = t -> {
            Image p = t.padReflect(1, 1, 1, 1);
            Image o = new Image(1, t.height(), t.width());
            for (int y = 0; y < t.height(); y++) for (int x = 0; x < t.width(); x++) {
                float s = 0;
                for (int dy = 0; dy < 3; dy++) for (int dx = 0; dx < 3; dx++) s += p.get(0, y + dy, x + dx);
                o.set(0, y, x, s / 9);
            }
            return o;
        };
        Image whole = box.apply(in);
        Image tiled = new Tiler(64, 16, 1).apply(in, box);
        double maxErr = 0;
        for (int i = 0; i < whole.data().length; i++) maxErr = Math.max(maxErr, Math.abs(whole.data()[i] - tiled.data()[i]));
        // Blended seams only mix results that differ at tile borders: the error stays small.
        assertEquals(0, maxErr, 0.05);
    }

    @Test
    void scaleFactorForSuperResolution() {
        Image in = random(1, 90, 130);
        Image out = new Tiler(32, 8, 1).apply(in, t -> Resize.resize(t, t.height() * 2, t.width() * 2, Resize.Method.NEAREST), 2);
        assertEquals(180, out.height());
        assertEquals(260, out.width());
        assertEquals(in.get(0, 45, 65), out.get(0, 90, 130), 1e-6f);
    }

    @Test
    void tileCountMatchesTilesRun() {
        Tiler t = new Tiler(64, 16, 2);
        int[] calls = {0};
        t.apply(random(1, 301, 517), im -> { calls[0]++; return im; });
        assertEquals(calls[0], t.tileCount(301, 517));
        assertEquals(1, t.tileCount(64, 64));
    }
}
