package retouch.degrade;

import java.util.SplittableRandom;

import retouch.image.Image;

/**
 * Impulse noise: each pixel is replaced, with probability {@code amount}, by 0 or 1 with equal
 * odds (as skimage's {@code random_noise(mode='s&p', salt_vs_pepper=0.5)}). In RGB images a hit
 * pixel becomes black or white in all channels (a dead/stuck sensor site).
 */
public final class SaltPepperNoise implements Degradation {
    private final double amount;

    public SaltPepperNoise(double amount) {
        if (!(amount >= 0 && amount <= 1)) throw new IllegalArgumentException("salt-and-pepper amount must be in [0,1], got " + amount);
        this.amount = amount;
    }

    public double amount() { return amount; }

    @Override
    public Image apply(Image clean, SplittableRandom rng) {
        Image out = clean.copy();
        float[] d = out.data();
        int n = clean.pixels(), c = clean.channels();
        for (int i = 0; i < n; i++) {
            if (rng.nextDouble() < amount) {
                float v = rng.nextBoolean() ? 1f : 0f;
                for (int ch = 0; ch < c; ch++) d[ch * n + i] = v;
            }
        }
        return out;
    }

    @Override
    public String spec() { return "noise:sp:" + Filters.num(amount); }

    @Override
    public String toString() { return spec(); }
}
