package retouch.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.DeflaterOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images tagged with a non-sRGB ICC profile are converted to sRGB; untagged ones are taken as sRGB. */
class ColourProfileTest {
    @TempDir Path tmp;

    /** Linear-light 128/255 is sRGB 187.5/255. */
    private static final float LINEAR_HALF_IN_SRGB = 187.5f / 255f;

    private static BufferedImage flat(int v) {
        BufferedImage bi = new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) bi.getRaster().setPixel(x, y, new int[] {v, v, v});
        return bi;
    }

    private static byte[] linearProfile() {
        return ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
    }

    @Test
    void pngWithALinearProfileIsConverted() throws IOException {
        byte[] png = Corpus.encode(flat(128), "png");
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.writeBytes("linear\0\0".getBytes(StandardCharsets.ISO_8859_1));
        try (DeflaterOutputStream d = new DeflaterOutputStream(z)) {
            d.write(linearProfile());
        }
        byte[] tagged = Corpus.concat(Arrays.copyOf(png, 33), Corpus.pngChunk("iCCP", z.toByteArray()), Arrays.copyOfRange(png, 33, png.length));
        Path p = tmp.resolve("linear.png");
        Files.write(p, tagged);
        assertEquals(LINEAR_HALF_IN_SRGB, ImageFiles.read(p).get(1, 8, 8), 1.5f / 255);
        Path plain = tmp.resolve("plain.png");
        Files.write(plain, png);
        assertEquals(128 / 255f, ImageFiles.read(plain).get(1, 8, 8), 0f);
    }

    @Test
    void jpegWithALinearProfileIsConverted() throws IOException {
        byte[] jpg = Corpus.encode(flat(128), "jpeg");
        byte[] prof = linearProfile();
        byte[] payload = Corpus.concat("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1), new byte[] {1, 1}, prof);
        Path p = tmp.resolve("linear.jpg");
        Files.write(p, Corpus.spliceJpeg(jpg, 0xe2, payload));
        assertEquals(LINEAR_HALF_IN_SRGB, ImageFiles.read(p).get(1, 8, 8), 2.5f / 255);
    }
}
