package retouch.data;

import java.util.List;
import retouch.image.Dihedral;
import retouch.image.Image;

/**
 * Labels for a network to learn from unlabeled images (self-supervised rotation prediction, Gidaris
 * et al. 2018): each image turned by 0, 90, 180 or 270 degrees, the label being the turn. To tell
 * which way up a face is, a network has to find eyes, nose, mouth and their arrangement, so its
 * features describe faces; that makes it a ruler for generated faces (FD/KID) without labels.
 */
public final class RotationPretext {
    /** Class names: the quarter turns, counter-clockwise. */
    public static final List<String> CLASSES = List.of("upright", "turned 90", "turned 180", "turned 270");

    private RotationPretext() {}

    /** Image i turned by (i mod 4) quarter turns, labelled with the turn; gray square images only. */
    public static LabeledImages turned(SquareImages images) {
        return build(images, true);
    }

    /** The images as they are, all labelled "upright" (reference and floor sets for FD/KID). */
    public static LabeledImages upright(SquareImages images) {
        return build(images, false);
    }

    private static LabeledImages build(SquareImages images, boolean turn) {
        if (images.channels() != 1) throw new IllegalArgumentException("rotation labels are built on gray images");
        int n = images.count(), s = images.size(), plane = s * s;
        byte[] px = new byte[n * plane];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float[] d = java.util.Arrays.copyOfRange(images.pixels(), i * plane, (i + 1) * plane);
            Image im = new Image(1, s, s, d);
            int k = turn ? i % 4 : 0;
            float[] t = Dihedral.apply(im, 2 * k).data();
            for (int p = 0; p < plane; p++) px[i * plane + p] = (byte) Math.max(0, Math.min(255, Math.round(t[p] * 255)));
            labels[i] = k;
        }
        return new LabeledImages(px, n, s, s, labels, CLASSES);
    }
}
