package retouch.image;

/**
 * A decoded file with its transparency kept apart, for callers that need it (inpainting masks,
 * compositing a restored image back over its original alpha).
 *
 * @param image the color (or gray) samples as stored, not flattened onto a background
 * @param alpha opacity in [0,1] as a gray image, or null when the file has no alpha
 * @param info  the header facts
 */
public record LoadedImage(Image image, Image alpha, ImageInfo info) {
    public boolean hasAlpha() { return alpha != null; }
}
