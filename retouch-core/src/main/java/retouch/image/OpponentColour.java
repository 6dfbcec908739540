package retouch.image;

/**
 * The orthonormal opponent colour transform of CBM3D (Dabov et al. 2007), scaled to keep planes
 * in about [0, 1]: luminance (R+G+B)/3, and chroma (R−B)/√2 + ½ and (R−2G+B)/√6 + ½. I.i.d.
 * noise of σ in R, G, B stays σ in each chroma plane and becomes σ/√3 in the luminance; chroma
 * planes of natural photos are smooth. Gray models work on these planes instead of R, G and B.
 */
public final class OpponentColour {
    private static final float SQRT2 = (float) Math.sqrt(2), SQRT6 = (float) Math.sqrt(6);

    private OpponentColour() {}

    /** RGB → {luminance, chroma 1, chroma 2}, three gray planes. */
    public static Image[] split(Image rgb) {
        if (rgb.channels() != 3) throw new IllegalArgumentException("opponent colour needs an RGB image, got " + rgb.shapeString());
        int n = rgb.pixels(), h = rgb.height(), w = rgb.width();
        float[] d = rgb.data();
        Image[] out = {new Image(1, h, w), new Image(1, h, w), new Image(1, h, w)};
        float[] l = out[0].data(), a = out[1].data(), b = out[2].data();
        for (int i = 0; i < n; i++) {
            float r = d[i], g = d[n + i], bl = d[2 * n + i];
            l[i] = (r + g + bl) / 3f;
            a[i] = (r - bl) / SQRT2 + 0.5f;
            b[i] = (r - 2 * g + bl) / SQRT6 + 0.5f;
        }
        return out;
    }

    /** The inverse of {@link #split}. */
    public static Image merge(Image[] planes) {
        int n = planes[0].pixels();
        float[] l = planes[0].data(), a = planes[1].data(), b = planes[2].data();
        Image out = new Image(3, planes[0].height(), planes[0].width());
        float[] o = out.data();
        for (int i = 0; i < n; i++) {
            float ca = (a[i] - 0.5f) / SQRT2, cb = (b[i] - 0.5f) / SQRT6;
            o[i] = l[i] + ca + cb;
            o[n + i] = l[i] - 2 * cb;
            o[2 * n + i] = l[i] - ca + cb;
        }
        return out;
    }
}
