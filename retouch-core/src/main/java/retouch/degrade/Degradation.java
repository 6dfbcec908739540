package retouch.degrade;

import java.util.SplittableRandom;

import retouch.image.Image;

/**
 * One step of a synthetic degradation pipeline (noise, blur, downsampling, compression, masking),
 * applied on the fly to clean training images or to build test inputs.
 *
 * <p>Implementations are immutable and draw all randomness from the given generator, so a fixed
 * seed reproduces the output exactly. {@link #spec()} gives the string that
 * {@link DegradationSpec#parse(String)} turns back into an equal degradation.
 */
public interface Degradation {
    /** The degraded image; {@code clean} is not modified. The output size may differ (downsampling). */
    Image apply(Image clean, SplittableRandom rng);

    /** A spec string such as {@code "noise:gauss:25"} that parses back to this degradation. */
    String spec();

    /** {@link #apply(Image, SplittableRandom)} with a generator seeded by {@code seed}. */
    default Image apply(Image clean, long seed) {
        return apply(clean, new SplittableRandom(seed));
    }

    /**
     * The degraded image together with the hole mask when this degradation masks pixels
     * (inpainting), else a {@link Degraded} without mask. The image equals what
     * {@link #apply(Image, SplittableRandom)} gives for the same generator state.
     */
    default Degraded applyWithMask(Image clean, SplittableRandom rng) {
        return new Degraded(apply(clean, rng), null);
    }
}
