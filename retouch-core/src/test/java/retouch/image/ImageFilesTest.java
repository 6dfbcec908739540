package retouch.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import retouch.RetouchException;

class ImageFilesTest {
    @TempDir
    Path tmp;

    static Path res(String name) {
        try {
            return Path.of(ImageFilesTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }

    @Test
    void probeReportsHeaderFacts() {
        ImageInfo g = ImageFiles.probe(res("images/gray.png"));
        assertEquals("PNG", g.format());
        assertEquals(64, g.width());
        assertEquals(64, g.height());
        assertEquals(1, g.channels());
        assertEquals(8, g.bitDepth());
        assertFalse(g.hasAlpha());
        assertFalse(g.palette());

        ImageInfo a = ImageFiles.probe(res("images/rgba.png"));
        assertEquals(4, a.channels());
        assertTrue(a.hasAlpha());
        assertEquals(3, a.imageChannels());

        ImageInfo p = ImageFiles.probe(res("images/palette.png"));
        assertTrue(p.palette());
        assertEquals(3, p.channels());

        ImageInfo s = ImageFiles.probe(res("images/gray16.png"));
        assertEquals(16, s.bitDepth());
        assertEquals(1, s.channels());

        ImageInfo gif = ImageFiles.probe(res("images/anim.gif"));
        assertEquals("GIF", gif.format());
        assertTrue(gif.palette());
        assertEquals(1, gif.channels(), "gray palette counts as gray");

        ImageInfo w = ImageFiles.probe(res("bad/wrong-ext.jpg"));
        assertEquals("PNG", w.format(), "format comes from the content");
    }

    @Test
    void grayCropDecodesToOneChannelExactly() throws IOException {
        Image im = ImageFiles.read(res("images/gray.png"));
        assertEquals(1, im.channels());
        assertEquals(64, im.width());
        // compare with an independent decode of the same file's raster
        BufferedImage bi = javax.imageio.ImageIO.read(res("images/gray.png").toFile());
        for (int y = 0; y < 64; y += 7) {
            for (int x = 0; x < 64; x += 5) {
                assertEquals(bi.getRaster().getSample(x, y, 0) / 255f, im.get(0, y, x), 0f);
            }
        }
    }

    @Test
    void rgbValuesAreExact() {
        Image im = ImageFiles.read(res("images/rgb.png"));
        assertEquals(3, im.channels());
        assertPlane(im, 0, Fixtures::rgbR, 255f, "red");
        assertPlane(im, 1, Fixtures::rgbG, 255f, "green");
        assertPlane(im, 2, Fixtures::rgbB, 255f, "blue");
        // same bytes under a .jpg name still read as PNG
        Image w = ImageFiles.read(res("bad/wrong-ext.jpg"));
        assertArrayEqualsExact(im.data(), w.data());
    }

    @Test
    void rgbaIsFlattenedOntoWhiteOrKeptApart() {
        Path p = res("images/rgba.png");
        Image flat = ImageFiles.read(p);
        LoadedImage li = ImageFiles.readWithAlpha(p, ReadOptions.defaults());
        assertNotNull(li.alpha());
        assertEquals(1, li.alpha().channels());
        for (int y = 0; y < 64; y += 3) {
            for (int x = 0; x < 64; x++) {
                float a = Fixtures.alpha(y, x) / 255f;
                float r = Fixtures.rgbR(y, x) / 255f;
                assertEquals(a, li.alpha().get(0, y, x), 0f);
                assertEquals(r, li.image().get(0, y, x), 0f);
                assertEquals(a * r + (1 - a), flat.get(0, y, x), 1e-6f);
            }
        }
        assertEquals(1f, flat.get(1, 10, 0), 0f, "fully transparent pixel becomes white");
        Image black = ImageFiles.read(p, ReadOptions.defaults().withBackground(0f));
        assertEquals(0f, black.get(1, 10, 0), 0f);
    }

    @Test
    void paletteAndGifDecodeThroughTheirTables() {
        Image pal = ImageFiles.read(res("images/palette.png"));
        assertEquals(3, pal.channels());
        for (int y = 0; y < 64; y += 9) {
            for (int x = 0; x < 64; x += 11) {
                int rgb = Fixtures.paletteRgb(Fixtures.paletteIndex(y, x));
                assertEquals(((rgb >> 16) & 255) / 255f, pal.get(0, y, x), 0f);
                assertEquals(((rgb >> 8) & 255) / 255f, pal.get(1, y, x), 0f);
                assertEquals((rgb & 255) / 255f, pal.get(2, y, x), 0f);
            }
        }
        Image gif = ImageFiles.read(res("images/anim.gif"));
        assertEquals(1, gif.channels(), "gray palette → gray image");
        assertPlane(gif, 0, (y, x) -> Fixtures.gifGray(Fixtures.gifIndexFrame0(y, x)), 255f, "first frame");
        Image forced = ImageFiles.read(res("images/anim.gif"), ReadOptions.defaults().withChannels(3));
        assertEquals(3, forced.channels());
        assertEquals(gif.get(0, 5, 7), forced.get(2, 5, 7), 0f);
    }

    @Test
    void sixteenBitKeepsFullPrecision() {
        Image im = ImageFiles.read(res("images/gray16.png"));
        assertEquals(1, im.channels());
        assertPlane(im, 0, Fixtures::gray16, 65535f, "16-bit gray");
    }

    /** Every pixel of plane {@code c} of a 64×64 fixture image is exactly {@code level(y, x) / max}. */
    private static void assertPlane(Image im, int c, IntBinaryOperator level, float max, String what) {
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(level.applyAsInt(y, x) / max, im.get(c, y, x), 0f, what);
            }
        }
    }

    @Test
    void roundTripsAreExact() {
        Random rnd = new Random(1);
        for (int c : new int[] {1, 3}) {
            Image a8 = new Image(c, 23, 37);
            Image a16 = new Image(c, 23, 37);
            for (int i = 0; i < a8.data().length; i++) {
                a8.data()[i] = rnd.nextInt(256) / 255f;
                a16.data()[i] = rnd.nextInt(65536) / 65535f;
            }
            Path p8 = tmp.resolve("sub/dir/a" + c + ".png");
            ImageFiles.writePng(a8, p8);
            assertArrayEqualsExact(a8.data(), ImageFiles.read(p8).data());
            ImageInfo i8 = ImageFiles.probe(p8);
            assertEquals(c, i8.channels());
            assertEquals(8, i8.bitDepth());

            Path p16 = tmp.resolve("b" + c + ".png");
            ImageFiles.writePng(a16, p16, 16);
            assertEquals(16, ImageFiles.probe(p16).bitDepth());
            assertArrayEqualsExact(a16.data(), ImageFiles.read(p16).data());

            Path bmp = tmp.resolve("c" + c + ".bmp");
            ImageFiles.write(a8, bmp);
            Image back = ImageFiles.read(bmp);
            assertArrayEqualsExact(a8.withChannels(3).data(), back.withChannels(3).data());
        }
        // clipping and rounding on write
        Image odd = new Image(1, 1, 4, new float[] {-0.5f, 0.5f, 1.7f, Float.NaN});
        ImageFiles.writePng(odd, tmp.resolve("odd.png"));
        Image back = ImageFiles.read(tmp.resolve("odd.png"));
        assertEquals(0f, back.data()[0], 0f);
        assertEquals(128 / 255f, back.data()[1], 0f);
        assertEquals(1f, back.data()[2], 0f);
        assertEquals(0f, back.data()[3], 0f);
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temp files left");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void jpegWritesAndReads() {
        Image im = ImageFiles.read(res("images/rgb.png"));
        Path p = tmp.resolve("x.jpeg");
        ImageFiles.write(im, p);
        Image back = ImageFiles.read(p);
        assertEquals(3, back.channels());
        double err = 0;
        for (int i = 0; i < im.data().length; i++) err += Math.abs(im.data()[i] - back.data()[i]);
        assertTrue(err / im.data().length < 0.02, "JPEG q95 stays close: " + err / im.data().length);
    }

    @Test
    void atomicWriteReplacesAndCleansUpOnFailure() throws IOException {
        Path target = tmp.resolve("a/b/c.txt");
        AtomicFiles.writeString(target, "one");
        AtomicFiles.writeString(target, "two");
        assertEquals("two", Files.readString(target));
        RetouchException e = assertThrows(RetouchException.class, () -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().contains("c.txt"), e.getMessage());
        assertEquals("two", Files.readString(target), "old content survives a failed write");
        try (Stream<Path> s = Files.list(target.getParent())) {
            assertEquals(1, s.count(), "temp file removed");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"empty.png", "text.png", "truncated.png", "truncated.jpg"})
    void badFilesGiveOneLineErrorsNamingTheFile(String name) {
        Path p = res("bad/" + name);
        RetouchException e = assertThrows(RetouchException.class, () -> ImageFiles.read(p));
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        String m = e.getMessage();
        switch (name) {
            case "empty.png" -> assertTrue(m.contains("empty (0 bytes)"), m);
            case "text.png" -> assertTrue(m.contains("not a PNG/JPEG/TIFF/WebP/BMP/GIF image") && m.contains("text"), m);
            default -> assertTrue(m.contains("truncated"), m);
        }
    }

    @Test
    void cmykJpegIsReadAsRgb() {
        Path p = res("corpus/good/cmyk-adobe.jpg");
        ImageInfo info = ImageFiles.probe(p);
        assertEquals("JPEG", info.format());
        assertEquals(4, info.channels());
        Image im = ImageFiles.read(p);
        assertEquals(3, im.channels());
        assertEquals(Corpus.W, im.width());
        assertEquals(Corpus.H, im.height());
    }

    @Test
    void missingAndFolderAreClear() {
        Path missing = tmp.resolve("nope.png");
        RetouchException e = assertThrows(RetouchException.class, () -> ImageFiles.read(missing));
        assertTrue(e.getMessage().startsWith(missing + ": no such file"), e.getMessage());
        RetouchException d = assertThrows(RetouchException.class, () -> ImageFiles.probe(tmp));
        assertTrue(d.getMessage().contains("is a folder"), d.getMessage());
        RetouchException u = assertThrows(RetouchException.class, () -> ImageFiles.write(Image.filled(1, 2, 2, 0f), tmp.resolve("x.webp")));
        assertTrue(u.getMessage().contains("x.webp"), u.getMessage());
    }

    @Test
    void hugeHeaderIsRefusedBeforeDecoding() {
        Path p = res("bad/huge-header.png");
        ImageInfo info = ImageFiles.probe(p);
        assertEquals(60000, info.width());
        assertEquals(60000, info.height());
        long t0 = System.nanoTime();
        RetouchException e = assertThrows(RetouchException.class, () -> ImageFiles.read(p));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(p + ": image is 60000x60000 (3600.0 megapixels), above the limit of 64.0 megapixels;"
                + " raise it with --max-pixels or -Dretouch.maxPixels", e.getMessage());
        assertTrue(ms < 1000, "refused in " + ms + " ms");
        RetouchException small = assertThrows(RetouchException.class,
                () -> ImageFiles.read(res("images/gray.png"), ReadOptions.defaults().withMaxPixels(4000)));
        assertTrue(small.getMessage().contains("above the limit of 0.0 megapixels"), small.getMessage());
    }

    @Test
    void maxPixelsSystemProperty() {
        String old = System.getProperty(ReadOptions.MAX_PIXELS_PROPERTY);
        try {
            System.setProperty(ReadOptions.MAX_PIXELS_PROPERTY, "1000");
            assertEquals(1000, ReadOptions.defaults().maxPixels());
            assertThrows(RetouchException.class, () -> ImageFiles.read(res("images/gray.png")));
            System.setProperty(ReadOptions.MAX_PIXELS_PROPERTY, "lots");
            assertThrows(RetouchException.class, ReadOptions::defaults);
        } finally {
            if (old == null) System.clearProperty(ReadOptions.MAX_PIXELS_PROPERTY);
            else System.setProperty(ReadOptions.MAX_PIXELS_PROPERTY, old);
        }
        assertEquals(ReadOptions.DEFAULT_MAX_PIXELS, ReadOptions.defaults().maxPixels());
    }

    @Test
    void bufferedImageHelpersRoundTrip() {
        Image im = ImageFiles.read(res("images/rgb.png"));
        BufferedImage bi = ImageFiles.toBufferedImage(im);
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, bi.getType());
        assertEquals((Fixtures.rgbR(3, 5) << 16) | (Fixtures.rgbG(3, 5) << 8) | Fixtures.rgbB(3, 5), bi.getRGB(5, 3) & 0xffffff);
        assertArrayEqualsExact(im.data(), ImageFiles.fromBufferedImage(bi).data());
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00ff0000);
        argb.setRGB(1, 0, 0xff00ff00);
        Image f = ImageFiles.fromBufferedImage(argb);
        assertEquals(3, f.channels());
        assertEquals(1f, f.get(1, 0, 0), 0f); // transparent → white
        assertEquals(0f, f.get(0, 0, 1), 0f);
        assertEquals(1f, f.get(1, 0, 1), 0f);
        assertNull(ImageFiles.readWithAlpha(res("images/rgb.png"), ReadOptions.defaults()).alpha());
    }

    static void assertArrayEqualsExact(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            if (Float.compare(a[i], b[i]) != 0) throw new AssertionError("index " + i + ": " + a[i] + " != " + b[i]);
        }
    }
}
