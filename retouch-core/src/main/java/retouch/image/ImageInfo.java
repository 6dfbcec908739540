package retouch.image;

import java.nio.file.Path;

/**
 * What a file's header says, known before decoding: lets callers refuse huge images, pick a
 * gray or color model, and report what they were given without paying for a full decode.
 *
 * @param path      the file
 * @param format    "PNG", "JPEG", "BMP" or "GIF" (from the content, not the extension)
 * @param width     width in pixels
 * @param height    height in pixels
 * @param channels  channels in the file: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (or CMYK for JPEG);
 *                  a palette counts as the colors it holds (gray palette → 1 or 2)
 * @param bitDepth  bits per sample: 8 or 16 (palettes and packed formats report 8)
 * @param hasAlpha  whether the file has transparency
 * @param palette   whether pixels are indices into a color table
 */
public record ImageInfo(Path path, String format, int width, int height, int channels, int bitDepth,
                        boolean hasAlpha, boolean palette) {

    public long pixels() { return (long) width * height; }

    /** Whether reading gives a gray (1-channel) image. */
    public boolean isGray() { return channels <= 2; }

    /** Channels of the decoded {@link Image}: 1 for gray sources, 3 otherwise. */
    public int imageChannels() { return isGray() ? 1 : 3; }

    public double megapixels() { return pixels() / 1e6; }
}
