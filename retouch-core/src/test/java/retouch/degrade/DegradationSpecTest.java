package retouch.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import retouch.RetouchException;

class DegradationSpecTest {
    @Test
    void roundTrips() {
        String[] specs = {"blur:gauss:1.6,noise:gauss:15,jpeg:40", "noise:gauss:0-55", "noise:poisson:30", "noise:sp:0.05",
                "blur:motion:15:45", "down:bicubic:4", "down:area:2", "mask:box:0.5", "mask:box:64x48", "mask:boxes:3",
                "mask:boxes:2:0.1-0.3", "mask:free:0.1-0.3", "mask:thin:0.1-0.3", "mask:blobs:0.1-0.3", "mask:free:0.1-0.3:fill=1", "noise:gauss:7.5"};
        for (String s : specs) {
            Degradation d = DegradationSpec.parse(s);
            assertEquals(s, d.spec());
            assertEquals(s, DegradationSpec.parse(d.spec()).spec());
        }
        assertEquals("down:bicubic:4", DegradationSpec.parse("sr:4").spec());
        assertEquals("mask:free:0.05-0.5", DegradationSpec.parse("mask:free").spec());
        assertEquals("mask:thin:0.05-0.3", DegradationSpec.parse("mask:thin").spec());
        assertEquals("mask:blobs:0.05-0.5", DegradationSpec.parse("mask:blobs").spec());
        assertEquals("noise:gauss:25", DegradationSpec.parse(" noise:gaussian:25 ").spec());
        assertInstanceOf(Chain.class, DegradationSpec.parse("blur:gauss:1,sr:2"));
        assertInstanceOf(GaussianNoise.class, DegradationSpec.parse("noise:gauss:25"));
        MotionBlur m = (MotionBlur) DegradationSpec.parse("blur:motion:15:45");
        assertEquals(15, m.length());
        assertEquals(45, m.angle());
    }

    @Test
    void maskFileRoundTrip(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mask.png");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png", f.toFile());
        Degradation d = DegradationSpec.parse("mask:file:" + f);
        assertEquals("mask:file:" + f, d.spec());
        Degradation filled = DegradationSpec.parse("mask:file:fill=0.5:" + f);
        assertEquals(0.5f, ((MaskDegradation) filled).fill());
        assertEquals(filled.spec(), DegradationSpec.parse(filled.spec()).spec());
        RetouchException e = assertThrows(RetouchException.class, () -> DegradationSpec.parse("mask:file:" + dir.resolve("nope.png")));
        assertTrue(e.getMessage().contains("nope.png"));
    }

    @Test
    void badSpecsListValidForms() {
        String[] bad = {"", "noise", "noise:gauss", "noise:gauss:abc", "noise:gauss:-5", "noise:gauss:30-10", "noise:pink:3",
                "blur:gauss:0", "blur:motion:15", "down:lanczos:2", "sr:x", "jpeg:0", "jpeg:101", "mask:box:2.5",
                "mask:circle:3", "mask:free:0.5-0.1", "frobnicate:3", "noise:gauss:25,,jpeg:40", "noise:sp:1.5"};
        for (String s : bad) {
            RetouchException e = assertThrows(RetouchException.class, () -> DegradationSpec.parse(s), s);
            assertTrue(e.getMessage().contains("noise:gauss:SIGMA") && e.getMessage().contains("mask:free"), s + " -> " + e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line");
        }
    }
}
