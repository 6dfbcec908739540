package retouch.degrade;

import java.util.SplittableRandom;

import retouch.image.Image;

/**
 * Signal-dependent shot noise: {@code y = Poisson(x·peak)/peak}, so a pixel of value x sees
 * on average {@code x·peak} photons (lower peak = darker scene = stronger noise; as in
 * Mäkitalo &amp; Foi, "Optimal inversion of the Anscombe transformation", TIP 2011). Negative
 * inputs count as zero photons. Samples are exact: Knuth's product method for small means and
 * Hörmann's PTRS transformed rejection (1993) for means of 10 and more.
 */
public final class PoissonNoise implements Degradation {
    private final double peak;

    public PoissonNoise(double peak) {
        if (!(peak > 0) || Double.isInfinite(peak)) throw new IllegalArgumentException("Poisson peak must be positive, got " + peak);
        this.peak = peak;
    }

    public double peak() { return peak; }

    @Override
    public Image apply(Image clean, SplittableRandom rng) {
        float[] src = clean.data();
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            double lam = Math.max(0, src[i]) * peak;
            out[i] = (float) (sample(lam, rng) / peak);
        }
        return new Image(clean.channels(), clean.height(), clean.width(), out);
    }

    /** One Poisson(lam) draw. */
    static long sample(double lam, SplittableRandom rng) {
        if (lam <= 0) return 0;
        if (lam < 10) {
            double l = Math.exp(-lam), p = 1;
            long k = -1;
            do {
                k++;
                p *= rng.nextDouble();
            } while (p > l);
            return k;
        }
        double slam = Math.sqrt(lam), loglam = Math.log(lam);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = rng.nextDouble() - 0.5;
            double v = rng.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lam + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - logFactorial(k)) return k;
        }
    }

    /** log(k!) via Stirling's series (exact table below 10). */
    static double logFactorial(long k) {
        if (k < 10) {
            double f = 1;
            for (int i = 2; i <= k; i++) f *= i;
            return Math.log(f);
        }
        double x = k + 1.0;
        double x2 = x * x;
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI)
                + 1.0 / (12 * x) - 1.0 / (360 * x * x2) + 1.0 / (1260 * x2 * x2 * x);
    }

    @Override
    public String spec() { return "noise:poisson:" + Filters.num(peak); }

    @Override
    public String toString() { return spec(); }
}
