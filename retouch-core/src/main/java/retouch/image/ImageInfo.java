package retouch.image;

import java.nio.file.Path;

/**
 * What a file's header says, known before decoding: lets callers refuse huge images, pick a
 * gray or color model, and report what they were given without paying for a full decode.
 *
 * @param path        the file
 * @param format      "PNG", "JPEG", "TIFF", "WEBP", "BMP" or "GIF" (from the content, not the extension)
 * @param width       width in pixels of the upright image (after the EXIF orientation)
 * @param height      height in pixels of the upright image
 * @param channels    channels in the file: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (or CMYK/YCCK);
 *                    a palette counts as the colors it holds (gray palette → 1 or 2)
 * @param bitDepth    bits per sample: 8 or 16 (palettes and packed formats report 8)
 * @param hasAlpha    whether the file has transparency
 * @param palette     whether pixels are indices into a color table
 * @param orientation the EXIF orientation (1–8; 1 = stored upright), applied on reading
 * @param pages       pages (TIFF) or frames (GIF, WebP) in the file; only the first is read
 */
public record ImageInfo(Path path, String format, int width, int height, int channels, int bitDepth,
                        boolean hasAlpha, boolean palette, int orientation, int pages) {

    /** Header facts of a single, upright image. */
    public ImageInfo(Path path, String format, int width, int height, int channels, int bitDepth,
                     boolean hasAlpha, boolean palette) {
        this(path, format, width, height, channels, bitDepth, hasAlpha, palette, 1, 1);
    }

    public long pixels() { return (long) width * height; }

    /** Whether reading gives a gray (1-channel) image. */
    public boolean isGray() { return channels <= 2; }

    /** Channels of the decoded {@link Image}: 1 for gray sources, 3 otherwise. */
    public int imageChannels() { return isGray() ? 1 : 3; }

    public double megapixels() { return pixels() / 1e6; }

    /**
     * What a user should know about how the file was read, or null: "TIFF with 3 pages: the
     * first page was used", "GIF with 12 frames: the first frame was used".
     */
    public String note() {
        if (pages <= 1) return null;
        String unit = format.equals("TIFF") ? "page" : "frame";
        return format + " with " + pages + " " + unit + "s: the first " + unit + " was used";
    }

    /**
     * The file-name extension an output of this image gets when it keeps the input's format:
     * png, jpg, tif or bmp; PNG for formats Retouch does not write (GIF, WebP).
     */
    public String outputExtension() {
        return switch (format) {
            case "JPEG" -> "jpg";
            case "TIFF" -> "tif";
            case "BMP" -> "bmp";
            default -> "png";
        };
    }
}
