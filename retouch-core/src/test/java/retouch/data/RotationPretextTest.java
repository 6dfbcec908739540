package retouch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RotationPretextTest {

    /** Four 4×4 gray images, each with one bright pixel in the top-left corner. */
    private static SquareImages corners() {
        float[] px = new float[4 * 16];
        for (int i = 0; i < 4; i++) px[i * 16] = 1f;
        return new SquareImages(px, 4, 1, 4);
    }

    @Test
    void imageITurnsByIModFourQuarterTurnsAndIsLabelledSo() {
        LabeledImages t = RotationPretext.turned(corners());
        assertEquals(RotationPretext.CLASSES, t.classNames());
        // Counter-clockwise quarter turns move the top-left corner to bottom-left, bottom-right, top-right.
        int[][] corner = {{0, 0}, {3, 0}, {3, 3}, {0, 3}};
        for (int i = 0; i < 4; i++) {
            assertEquals(i, t.label(i));
            var im = t.image(i);
            assertEquals(1f, im.get(0, corner[i][0], corner[i][1]), 0f, "image " + i);
            float sum = 0;
            for (float v : im.data()) sum += v;
            assertEquals(1f, sum, 0f, "one bright pixel, moved not copied");
        }
        LabeledImages u = RotationPretext.upright(corners());
        for (int i = 0; i < 4; i++) {
            assertEquals(0, u.label(i));
            assertEquals(1f, u.image(i).get(0, 0, 0), 0f);
        }
        assertThrows(IllegalArgumentException.class, () -> RotationPretext.turned(new SquareImages(new float[48], 1, 3, 4)));
    }
}
