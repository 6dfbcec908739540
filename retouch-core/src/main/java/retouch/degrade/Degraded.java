package retouch.degrade;

import retouch.image.Image;

/**
 * A degraded image and, for masking degradations, the gray mask that was applied
 * (1 = hole/missing, 0 = known; same height and width as the image when it was applied).
 * {@code mask} is null when no mask was involved.
 */
public record Degraded(Image image, Image mask) {
    public boolean hasMask() {
        return mask != null;
    }
}
