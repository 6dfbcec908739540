package retouch.nn.gan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import retouch.RetouchException;
import retouch.nn.store.AtomicFiles;

/**
 * Adaptive discriminator augmentation (Karras et al. 2020, "Training Generative Adversarial Networks
 * with Limited Data"): the probability of {@link DiffAugment}'s transforms starts at 0 and follows
 * the overfitting heuristic r = E[sign(D(real))] over the last {@link #INTERVAL} steps. When r is
 * above the target (D is sure of the training images: it memorises them) the probability rises,
 * otherwise it falls, by at most {@code batch · INTERVAL / speedImages} per adjustment (0 → 1 in
 * {@code speedImages} real images, 500,000 in the paper).
 */
public final class AdaptiveAugment {

    /** Discriminator steps between adjustments, as in the paper (with --n-dis k, k per training step). */
    public static final int INTERVAL = 4;

    /** The paper's r above which D is taken to overfit. */
    public static final float TARGET = 0.6f;

    /** The paper's real images over which the probability may go from 0 to 1. */
    public static final long SPEED_IMAGES = 500_000;

    private final DiffAugment augment;
    private final float target;
    private final float stepSize;
    private double signSum;
    private int seen;

    /**
     * @param augment the transforms whose probability this drives (set to 0 here)
     * @param target the r above which D is taken to overfit (the paper: 0.6)
     * @param batch real images per step
     * @param speedImages real images over which the probability may go from 0 to 1
     */
    public AdaptiveAugment(DiffAugment augment, float target, int batch, long speedImages) {
        if (!augment.enabled()) throw new RetouchException("adaptive augmentation needs transforms, e.g. --augment translation,cutout");
        if (!(target > 0 && target < 1)) throw new RetouchException("the adaptive augmentation target must be in (0, 1), got " + target);
        if (batch < 1 || speedImages < batch) throw new IllegalArgumentException("batch " + batch + ", speed " + speedImages);
        this.augment = augment.setProbability(0f);
        this.target = target;
        this.stepSize = (float) batch * INTERVAL / speedImages;
    }

    public float probability() {
        return augment.probability();
    }

    /**
     * Records one step's mean sign of D on the real batch (in [-1, 1]); every {@link #INTERVAL}
     * steps moves the probability towards what the heuristic asks.
     */
    public void observe(float meanSignReal) {
        signSum += meanSignReal;
        if (++seen < INTERVAL) return;
        double r = signSum / seen;
        signSum = 0;
        seen = 0;
        float p = probability() + (float) Math.signum(r - target) * stepSize;
        augment.setProbability(Math.max(0f, Math.min(1f, p)));
    }

    /** Writes the probability and the partial interval (so a resumed run continues exactly). */
    public void save(Path file) throws IOException {
        String s = String.format(Locale.ROOT, "%s %s %d%n", Float.toString(probability()), Double.toString(signSum), seen);
        AtomicFiles.write(file, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Restores what {@link #save} wrote; a missing file (a run started without it) leaves the state as it is. */
    public void load(Path file) throws IOException {
        if (!Files.exists(file)) return;
        String[] f = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
        try {
            float p = Float.parseFloat(f[0]);
            double sum = Double.parseDouble(f[1]);
            int n = Integer.parseInt(f[2]);
            if (!(p >= 0 && p <= 1) || n < 0 || n >= INTERVAL || !Double.isFinite(sum)) throw new IllegalArgumentException("values out of range");
            augment.setProbability(p);
            signSum = sum;
            seen = n;
        } catch (RuntimeException e) {
            throw new RetouchException(file + " is not an adaptive augmentation state (" + e.getMessage() + "); delete it to restart the probability at 0");
        }
    }
}
