package retouch.nn.train;

/**
 * Derives independent seeds from a run seed and a step number (SplitMix64), so that every step's
 * randomness depends only on (seed, step): nothing needs saving for a resumed run to draw the same
 * numbers as an uninterrupted one.
 */
public final class Seeds {

    private Seeds() {}

    /** A well-mixed 64-bit seed for {@code (seed, stream)}. */
    public static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** {@link #mix} folded to a non-negative int (for {@code Engine.setRandomSeed}). */
    public static int mixInt(long seed, long stream) {
        long z = mix(seed, stream);
        return (int) ((z ^ (z >>> 32)) & 0x7FFFFFFF);
    }
}
