package retouch.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Regenerates the committed test images under src/test/resources/{images,bad}. Run from the
 * retouch-core folder: {@code java -cp target/classes:target/test-classes retouch.image.Fixtures}.
 * Everything is synthetic (exact values known to the tests) except gray.png, a 64×64 crop of
 * scikit-image's public-domain "camera" photo (Debian python3-skimage).
 */
public final class Fixtures {
    static final Path CAMERA = Path.of("/usr/lib/python3/dist-packages/skimage/data/camera.png");

    // ---- the exact sample formulas the tests check against
    static int rgbR(int y, int x) { return x * 4; }
    static int rgbG(int y, int x) { return y * 4; }
    static int rgbB(int y, int x) { return (x + y) * 2; }
    static int alpha(int y, int x) { return (x * 255) / 63; }
    static int gray16(int y, int x) { return (x * 1024 + y * 16 + x * y * 7) & 0xffff; }
    static int paletteIndex(int y, int x) { return (x / 16) + 4 * (y / 16); }
    static int paletteRgb(int i) { return ((i * 16) << 16) | ((255 - i * 16) << 8) | ((i * 37) & 0xff); }
    static int gifGray(int i) { return i * 17; }
    static int gifIndexFrame0(int y, int x) { return (x + y) % 16; }

    public static void main(String[] args) throws IOException {
        Path res = Path.of(args.length > 0 ? args[0] : "src/test/resources");
        Path images = res.resolve("images"), bad = res.resolve("bad");
        Files.createDirectories(images);
        Files.createDirectories(bad);

        // gray crop of "camera" (512x512) at a textured spot
        BufferedImage cam = ImageIO.read(CAMERA.toFile());
        BufferedImage gray = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        int[] row = new int[64];
        for (int y = 0; y < 64; y++) {
            cam.getRaster().getSamples(200, 100 + y, 64, 1, 0, row);
            gray.getRaster().setSamples(0, y, 64, 1, 0, row);
        }
        ImageIO.write(gray, "png", images.resolve("gray.png").toFile());

        BufferedImage rgb = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage rgba = new BufferedImage(64, 64, BufferedImage.TYPE_4BYTE_ABGR);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int[] px = {rgbR(y, x), rgbG(y, x), rgbB(y, x), alpha(y, x)};
                rgb.getRaster().setPixel(x, y, Arrays.copyOf(px, 3));
                rgba.getRaster().setPixel(x, y, px);
            }
        }
        ImageIO.write(rgb, "png", images.resolve("rgb.png").toFile());
        ImageIO.write(rgba, "png", images.resolve("rgba.png").toFile());

        int[] cmap = new int[16];
        for (int i = 0; i < 16; i++) cmap[i] = paletteRgb(i);
        IndexColorModel icm = new IndexColorModel(8, 16, cmap, 0, false, -1, java.awt.image.DataBuffer.TYPE_BYTE);
        BufferedImage pal = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_INDEXED, icm);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) pal.getRaster().setSample(x, y, 0, paletteIndex(y, x));
        ImageIO.write(pal, "png", images.resolve("palette.png").toFile());

        BufferedImage g16 = new BufferedImage(64, 64, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) g16.getRaster().setSample(x, y, 0, gray16(y, x));
        ImageIO.write(g16, "png", images.resolve("gray16.png").toFile());

        // two-frame GIF with a gray palette: readers must return the first frame
        int[] gmap = new int[16];
        for (int i = 0; i < 16; i++) gmap[i] = gifGray(i) * 0x010101;
        IndexColorModel gcm = new IndexColorModel(8, 16, gmap, 0, false, -1, java.awt.image.DataBuffer.TYPE_BYTE);
        BufferedImage f0 = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_INDEXED, gcm);
        BufferedImage f1 = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_INDEXED, gcm);
        WritableRaster r0 = f0.getRaster(), r1 = f1.getRaster();
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                r0.setSample(x, y, 0, gifIndexFrame0(y, x));
                r1.setSample(x, y, 0, 15 - gifIndexFrame0(y, x));
            }
        }
        Path gif = images.resolve("anim.gif");
        Files.deleteIfExists(gif);
        ImageWriter gw = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(gif.toFile())) {
            gw.setOutput(ios);
            gw.prepareWriteSequence(null);
            gw.writeToSequence(new IIOImage(f0, null, null), null);
            gw.writeToSequence(new IIOImage(f1, null, null), null);
            gw.endWriteSequence();
        }
        gw.dispose();

        // ---- bad inputs
        Files.write(bad.resolve("empty.png"), new byte[0]);
        Files.writeString(bad.resolve("text.png"), "This is not an image, just a text file with a .png name.\n", StandardCharsets.US_ASCII);
        byte[] grayPng = Files.readAllBytes(images.resolve("gray.png"));
        Files.write(bad.resolve("truncated.png"), Arrays.copyOf(grayPng, grayPng.length / 2));
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        ImageIO.write(gray, "jpeg", jpg);
        byte[] jpgBytes = jpg.toByteArray();
        Files.write(bad.resolve("truncated.jpg"), Arrays.copyOf(jpgBytes, jpgBytes.length / 2));
        Files.write(bad.resolve("huge-header.png"), hugeHeaderPng(60000, 60000));
        Files.write(bad.resolve("wrong-ext.jpg"), Files.readAllBytes(images.resolve("rgb.png")));

        // CMYK, TIFF, WebP, EXIF-rotated and many more damaged files: see Corpus (src/test/resources/corpus)
    }

    /** A well-formed PNG whose IHDR claims width×height 8-bit gray, with a one-row body. */
    static byte[] hugeHeaderPng(int width, int height) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(width);
        d.writeInt(height);
        d.write(new byte[] {8, 0, 0, 0, 0}); // depth 8, gray, deflate, adaptive filter, no interlace
        chunk(out, "IHDR", ihdr.toByteArray());
        Deflater def = new Deflater(9);
        def.setInput(new byte[64]); // filter byte + a few zero samples
        def.finish();
        byte[] z = new byte[128];
        int zn = def.deflate(z);
        def.end();
        chunk(out, "IDAT", Arrays.copyOf(z, zn));
        chunk(out, "IEND", new byte[0]);
        return bos.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.write(Corpus.pngChunk(type, data));
    }
}
