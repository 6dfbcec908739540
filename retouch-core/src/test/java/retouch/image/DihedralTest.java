package retouch.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DihedralTest {
    /** 3 channels, 2×3: values 0..17 in storage order. */
    private static Image sample() {
        float[] d = new float[18];
        for (int i = 0; i < d.length; i++) d[i] = i;
        return new Image(3, 2, 3, d);
    }

    @Test
    void knownAnswers() {
        // channel 0 is [[0,1,2],[3,4,5]]
        assertArrayEquals(new float[] {2, 1, 0, 5, 4, 3}, java.util.Arrays.copyOf(Dihedral.mirror(sample()).data(), 6));
        Image left = Dihedral.turnLeft(sample());
        assertEquals(3, left.height());
        assertEquals(2, left.width());
        // counter-clockwise: [[2,5],[1,4],[0,3]]
        assertArrayEquals(new float[] {2, 5, 1, 4, 0, 3}, java.util.Arrays.copyOf(left.data(), 6));
        assertArrayEquals(new float[] {8, 11, 7, 10, 6, 9}, java.util.Arrays.copyOfRange(left.data(), 6, 12));
    }

    @Test
    void everyTransformIsUndoneAndAllEightDiffer() {
        Image im = sample();
        Set<String> seen = new HashSet<>();
        for (int t : Dihedral.ORDER) {
            Image f = Dihedral.apply(im, t);
            assertArrayEquals(im.data(), Dihedral.invert(f, t).data(), "transform " + t);
            assertEquals(im.channels(), f.channels());
            seen.add(f.height() + "x" + f.width() + java.util.Arrays.toString(f.data()));
        }
        assertEquals(8, seen.size());
        assertThrows(IllegalArgumentException.class, () -> Dihedral.apply(im, 8));
    }
}
