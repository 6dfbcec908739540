package retouch.image;

/**
 * The eight flips and quarter turns of an image (the dihedral group of the square), for
 * geometric self-ensembles: restore each transformed copy, undo the transform, average.
 * Transform {@code t} (0–7) mirrors left-right when bit 0 is set, then turns {@code t >> 1}
 * quarter turns counter-clockwise.
 */
public final class Dihedral {
    /** Transforms in the order ensembles take them: 2 = mirror, 4 = both mirrors, 8 = all. */
    public static final int[] ORDER = {0, 1, 4, 5, 2, 3, 6, 7};

    private Dihedral() {}

    /** Transform {@code t} of {@code im}. */
    public static Image apply(Image im, int t) {
        check(t);
        Image out = (t & 1) != 0 ? mirror(im) : im;
        for (int r = 0; r < (t >> 1); r++) out = turnLeft(out);
        return out;
    }

    /** Undoes {@link #apply}: {@code invert(apply(im, t), t)} equals {@code im}. */
    public static Image invert(Image im, int t) {
        check(t);
        Image out = im;
        for (int r = 0; r < (4 - (t >> 1)) % 4; r++) out = turnLeft(out);
        return (t & 1) != 0 ? mirror(out) : out;
    }

    private static void check(int t) {
        if (t < 0 || t > 7) throw new IllegalArgumentException("dihedral transform must be 0-7, got " + t);
    }

    /** Left-right mirror. */
    static Image mirror(Image im) {
        int c = im.channels(), h = im.height(), w = im.width();
        float[] s = im.data(), d = new float[s.length];
        for (int p = 0; p < c * h; p++) {
            int row = p * w;
            for (int x = 0; x < w; x++) d[row + x] = s[row + w - 1 - x];
        }
        return new Image(c, h, w, d);
    }

    /** A quarter turn counter-clockwise: the top row becomes the left column, read bottom-up. */
    static Image turnLeft(Image im) {
        int c = im.channels(), h = im.height(), w = im.width();
        float[] s = im.data(), d = new float[s.length];
        // out has height w and width h; out(y', x') = in(x', w - 1 - y')
        for (int ch = 0; ch < c; ch++) {
            int off = ch * h * w;
            for (int y = 0; y < w; y++) {
                for (int x = 0; x < h; x++) d[off + y * h + x] = s[off + x * w + (w - 1 - y)];
            }
        }
        return new Image(c, w, h, d);
    }
}
