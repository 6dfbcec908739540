package retouch.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridsTest {
    @TempDir
    Path tmp;

    @Test
    void gridLayoutAndPromotion() {
        Image a = Image.filled(1, 4, 5, 0.25f);
        Image b = Image.filled(3, 4, 5, 0f);
        b.set(0, 0, 0, 1f);
        Image g = Grids.grid(List.of(a, b, a), 2, 1, 0.5f);
        assertEquals(3, g.channels());
        assertEquals(2 * (5 + 1) + 1, g.width());
        assertEquals(2 * (4 + 1) + 1, g.height());
        assertEquals(0.5f, g.get(0, 0, 0), 0f);        // frame
        assertEquals(0.25f, g.get(2, 1, 1), 0f);       // first tile, gray → all channels
        assertEquals(1f, g.get(0, 1, 7), 0f);          // second tile's top-left red
        assertEquals(0f, g.get(1, 1, 7), 0f);
        assertEquals(0.25f, g.get(1, 6, 1), 0f);       // third tile starts row 2
        assertEquals(0.5f, g.get(0, 6, 7), 0f);        // empty last cell stays background
        Image gray = Grids.grid(List.of(a, a, a, a), 4, 0, 0f);
        assertEquals(1, gray.channels());
        assertEquals(20, gray.width());
        assertEquals(4, gray.height());
    }

    @Test
    void stripHasPanelsAndCaptions() {
        Image left = Image.filled(1, 60, 80, 0f);
        Image right = Image.filled(3, 40, 50, 0f);
        Arrays.fill(right.data(), 0, 2000, 1f); // red plane
        BufferedImage s = Grids.strip(List.of(left, right), List.of("noisy σ=25", "restored, a very long caption that must be cut"));
        assertEquals(8 + 80 + 8 + 50 + 8, s.getWidth());
        assertTrue(s.getHeight() > 8 + 60 + 8, "room for captions");
        assertEquals(0x000000, s.getRGB(8 + 40, 8 + 30) & 0xffffff);
        assertEquals(0xff0000, s.getRGB(8 + 80 + 8 + 10, 8 + 10) & 0xffffff);
        assertEquals(0xffffff, s.getRGB(2, 2) & 0xffffff);
        // some dark caption pixels below the tallest panel
        int dark = 0;
        for (int y = 8 + 60; y < s.getHeight(); y++) {
            for (int x = 0; x < s.getWidth(); x++) if ((s.getRGB(x, y) & 0xff) < 128) dark++;
        }
        assertTrue(dark > 20, "caption drawn: " + dark);

        Path out = tmp.resolve("strips/s.png");
        Grids.writeStrip(List.of(left, right), null, out);
        Image back = ImageFiles.read(out);
        assertEquals(3, back.channels());
        assertEquals(8 + 60 + 8, back.height());
    }
}
