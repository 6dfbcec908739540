package retouch.image;

import retouch.RetouchException;

/**
 * How to decode a file: a pixel budget (so one huge upload cannot exhaust memory), the channel
 * count the caller wants, and the background that transparent pixels are composited onto.
 *
 * @param maxPixels     refuse images with more pixels than this (checked from the header)
 * @param forceChannels 0 = as the file (gray → 1, else 3), or 1 / 3
 * @param background    gray level in [0,1] that alpha is flattened onto (1 = white)
 */
public record ReadOptions(long maxPixels, int forceChannels, float background) {
    /** Default pixel budget: 64 megapixels (an 8000×8000 photo). */
    public static final long DEFAULT_MAX_PIXELS = 64_000_000L;
    /** System property that overrides the default pixel budget. */
    public static final String MAX_PIXELS_PROPERTY = "retouch.maxPixels";

    public ReadOptions {
        if (maxPixels <= 0) throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        if (forceChannels != 0 && forceChannels != 1 && forceChannels != 3) {
            throw new IllegalArgumentException("forceChannels must be 0, 1 or 3, got " + forceChannels);
        }
    }

    /** Defaults: {@link #defaultMaxPixels()}, channels as the file, white background. */
    public static ReadOptions defaults() {
        return new ReadOptions(defaultMaxPixels(), 0, 1f);
    }

    /** {@value #DEFAULT_MAX_PIXELS}, or the value of {@code -Dretouch.maxPixels}. */
    public static long defaultMaxPixels() {
        String s = System.getProperty(MAX_PIXELS_PROPERTY);
        if (s == null || s.isBlank()) return DEFAULT_MAX_PIXELS;
        try {
            long v = (long) Double.parseDouble(s.trim().replace("_", ""));
            if (v <= 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new RetouchException("-D" + MAX_PIXELS_PROPERTY + "=" + s + " is not a positive number of pixels; use e.g. -D"
                    + MAX_PIXELS_PROPERTY + "=100000000");
        }
    }

    public ReadOptions withMaxPixels(long max) { return new ReadOptions(max, forceChannels, background); }

    public ReadOptions withChannels(int channels) { return new ReadOptions(maxPixels, channels, background); }

    public ReadOptions withBackground(float bg) { return new ReadOptions(maxPixels, forceChannels, bg); }
}
