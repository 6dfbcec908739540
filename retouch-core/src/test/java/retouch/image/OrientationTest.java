package retouch.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EXIF orientation: the eight values against hand-drawn answers, and TIFF outputs. */
class OrientationTest {
    @TempDir Path tmp;

    /** Stored 3 wide, 2 high: a b c / d e f (values 1..6). */
    private static final Image STORED = new Image(1, 2, 3, new float[] {1, 2, 3, 4, 5, 6});

    private static void check(int o, int w, int h, float... upright) {
        Image u = Orientation.apply(STORED, o);
        assertEquals(w, u.width(), "width for " + o);
        assertEquals(h, u.height(), "height for " + o);
        assertArrayEquals(upright, u.data(), 0f, "orientation " + o);
    }

    @Test
    void allEightValues() {
        check(1, 3, 2, 1, 2, 3, 4, 5, 6);
        check(2, 3, 2, 3, 2, 1, 6, 5, 4);        // mirrored left-right
        check(3, 3, 2, 6, 5, 4, 3, 2, 1);        // 180°
        check(4, 3, 2, 4, 5, 6, 1, 2, 3);        // mirrored top-bottom
        check(5, 2, 3, 1, 4, 2, 5, 3, 6);        // transposed
        check(6, 2, 3, 4, 1, 5, 2, 6, 3);        // turned 90° clockwise to show (phone held upright)
        check(7, 2, 3, 6, 3, 5, 2, 4, 1);        // transversed
        check(8, 2, 3, 3, 6, 2, 5, 1, 4);        // turned 90° counter-clockwise to show
    }

    @Test
    void tiffOutputsKeepEightAndSixteenBits() {
        Image im = new Image(1, 2, 3, new float[] {0, 1000 / 65535f, 0.5f, 1, 40000 / 65535f, 7 / 65535f});
        Path t16 = tmp.resolve("x16.tif");
        ImageFiles.write(im, t16, 16);
        ImageInfo info = ImageFiles.probe(t16);
        assertEquals("TIFF", info.format());
        assertEquals(16, info.bitDepth());
        assertArrayEquals(im.data(), ImageFiles.read(t16).data(), 0.5f / 65535);
        Image rgb16 = new Image(3, 4, 5);
        for (int i = 0; i < rgb16.data().length; i++) rgb16.data()[i] = (i * 997 % 65536) / 65535f;
        Path r16 = tmp.resolve("rgb16.tif");
        ImageFiles.write(rgb16, r16, 16);
        assertEquals(16, ImageFiles.probe(r16).bitDepth());
        assertArrayEquals(rgb16.data(), ImageFiles.read(r16).data(), 0.5f / 65535);
        Image rgb = new Image(3, 2, 2, new float[] {0, 1, 0.5f, 0.25f, 1, 0, 0, 1, 0.2f, 0.4f, 0.6f, 0.8f});
        Path t8 = tmp.resolve("x8.tiff");
        ImageFiles.write(rgb, t8, 8);
        assertEquals(8, ImageFiles.probe(t8).bitDepth());
        assertArrayEquals(rgb.data(), ImageFiles.read(t8).data(), 0.51f / 255);
    }
}
