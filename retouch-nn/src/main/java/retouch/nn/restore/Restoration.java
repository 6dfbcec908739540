package retouch.nn.restore;

import retouch.degrade.BlurEstimator;
import retouch.image.Image;

/**
 * A restored image and what the restorer found on the way.
 *
 * @param image the result, values in [0,1]
 * @param blur the blur blind deblurring fitted, or {@code null} when none was estimated
 * @param how how the result was made when there were alternatives (e.g. "plug-and-play with
 *     denoise-gray for the fitted blur:gauss:1.6"), or {@code null}
 */
public record Restoration(Image image, BlurEstimator.Estimate blur, String how) {

    /** A result with nothing to report. */
    public static Restoration of(Image image) {
        return new Restoration(image, null, null);
    }

    /** One line for a log ("estimated blur …; how", or how alone), or {@code null} when there is nothing to report. */
    public String note() {
        return blur == null ? how : "estimated blur " + blur + "; " + how;
    }
}
