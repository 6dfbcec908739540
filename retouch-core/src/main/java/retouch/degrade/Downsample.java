package retouch.degrade;

import java.util.SplittableRandom;

import retouch.image.Image;
import retouch.image.Resize;

/**
 * Downscaling by an integer factor, by default MATLAB-compatible bicubic with antialiasing: the
 * standard "bicubic degradation" of single-image super-resolution (Set5/Set14/DIV2K ×2/×3/×4).
 * The output is the small image, of size {@code ceil(h/factor) × ceil(w/factor)}.
 */
public final class Downsample implements Degradation {
    private final int factor;
    private final Resize.Method method;

    public Downsample(int factor) {
        this(factor, Resize.Method.BICUBIC);
    }

    public Downsample(int factor, Resize.Method method) {
        if (factor < 1 || factor > 16) throw new IllegalArgumentException("downsampling factor must be in 1..16, got " + factor);
        this.factor = factor;
        this.method = method;
    }

    public int factor() { return factor; }
    public Resize.Method method() { return method; }

    @Override
    public Image apply(Image clean, SplittableRandom rng) {
        return Resize.scale(clean, 1.0 / factor, method);
    }

    @Override
    public String spec() { return "down:" + method.lower() + ":" + factor; }

    @Override
    public String toString() { return spec(); }
}
