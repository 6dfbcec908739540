package retouch.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Builds the input corpus under src/test/resources/corpus: {@code good/} holds unusual but valid
 * files that every front door (CLI, Java API, HTTP) must restore upright and at the right size;
 * {@code bad/} holds damaged, hostile or unsupported files that must be refused with a one-line
 * message (CLI exit 3, HTTP 4xx) and no output. {@code MANIFEST.tsv} says what each file must give:
 *
 * <pre>
 * file            expect   detail
 * good/exif-6.jpg ok       48x32 mark     (upright size; "mark": a bright block in the upright top-left third)
 * bad/empty.png   refuse   empty          (a word the message must contain)
 * </pre>
 *
 * Regenerate from retouch-core/ with
 * {@code java -cp target/classes:target/test-classes:$(deps) retouch.image.Corpus} (WebP files come
 * from webp/make-webp.sh, since Java writes no WebP). {@code CorpusTest} checks that this class
 * still writes the committed bytes, so the files and their recipe cannot drift apart.
 */
public final class Corpus {
    /** Upright size of the generated photos: landscape, so that a missed quarter turn shows. */
    static final int W = 48, H = 32;

    /** One corpus entry. */
    public record Case(String file, String expect, String detail) {}

    private final Path root;
    private final List<Case> cases = new ArrayList<>();

    private Corpus(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws IOException {
        Path res = Path.of(args.length > 0 ? args[0] : "src/test/resources");
        write(res.resolve("corpus"), res.resolve("webp"));
    }

    /** Writes the corpus into {@code root} (good/, bad/, MANIFEST.tsv); WebP files are copied from {@code webp}. */
    static List<Case> write(Path root, Path webp) throws IOException {
        Corpus c = new Corpus(root);
        Files.createDirectories(root.resolve("good"));
        Files.createDirectories(root.resolve("bad"));
        c.good(webp);
        c.bad(webp);
        StringBuilder sb = new StringBuilder("# file\texpect\tdetail (see retouch.image.Corpus)\n");
        for (Case k : c.cases) sb.append(k.file).append('\t').append(k.expect).append('\t').append(k.detail).append('\n');
        Files.writeString(root.resolve("MANIFEST.tsv"), sb.toString());
        return c.cases;
    }

    private void put(String file, byte[] bytes, String expect, String detail) throws IOException {
        Files.write(root.resolve(file), bytes);
        cases.add(new Case(file, expect, detail));
    }

    private void ok(String file, byte[] bytes, int w, int h, boolean mark) throws IOException {
        put("good/" + file, bytes, "ok", w + "x" + h + (mark ? " mark" : ""));
    }

    private void refuse(String file, byte[] bytes, String word) throws IOException {
        put("bad/" + file, bytes, "refuse", word);
    }

    // ------------------------------------------------------------------ pictures

    /** The upright test photo: dark gray with a bright block in the top-left third, a soft ramp elsewhere. */
    static BufferedImage upright(int type) {
        BufferedImage bi = new BufferedImage(W, H, type);
        WritableRaster r = bi.getRaster();
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean block = x < W / 3 && y < H / 3;
                int v = block ? 235 : 40 + (x + y) / 4;
                for (int b = 0; b < r.getNumBands(); b++) r.setSample(x, y, b, b == 2 && !block ? v + 10 : v);
            }
        }
        return bi;
    }

    /** The stored pixels that orientation {@code o} turns into {@code up}. */
    static BufferedImage stored(BufferedImage up, int o) {
        int inverse = o == 6 ? 8 : o == 8 ? 6 : o;
        Image im = Orientation.apply(ImageFiles.fromBufferedImage(up), inverse);
        return ImageFiles.toBufferedImage(im, 8);
    }

    static byte[] encode(BufferedImage bi, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(bi, format, out)) throw new IOException("no " + format + " writer for " + bi);
        return out.toByteArray();
    }

    static byte[] jpeg(Raster r, BufferedImage bi, boolean progressive) throws IOException {
        return written("jpeg", (w, p) -> {
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.95f);
            if (progressive) p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            w.write(null, bi != null ? new IIOImage(bi, null, null) : new IIOImage(r, null, null), p);
        });
    }

    /** What is done with a JDK writer once it has its output: {@code p} is its default parameters. */
    @FunctionalInterface
    interface WriterSteps {
        void write(ImageWriter w, ImageWriteParam p) throws IOException;
    }

    /** The bytes that the JDK's {@code format} writer produces under {@code steps}. */
    static byte[] written(String format, WriterSteps steps) throws IOException {
        ImageWriter w = jdkWriter(format);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            w.setOutput(ios);
            steps.write(w, w.getDefaultWriteParam());
        } finally {
            w.dispose();
        }
        return out.toByteArray();
    }

    /** The JDK's own writer (byte-stable across plugin sets). */
    static ImageWriter jdkWriter(String format) {
        var it = ImageIO.getImageWritersByFormatName(format);
        ImageWriter first = null;
        while (it.hasNext()) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.")) return w;
            if (first == null) first = w;
        }
        if (first == null) throw new IllegalStateException("no " + format + " writer");
        return first;
    }

    static byte[] tiff(List<BufferedImage> pages, String compression, int tile) throws IOException {
        return written("tiff", (w, p) -> {
            if (compression != null) {
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionType(compression);
            }
            if (tile > 0) {
                p.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
                p.setTiling(tile, tile, 0, 0);
            }
            if (pages.size() == 1) {
                w.write(null, new IIOImage(pages.get(0), null, null), p);
            } else {
                w.prepareWriteSequence(null);
                for (BufferedImage b : pages) w.writeToSequence(new IIOImage(b, null, null), p);
                w.endWriteSequence();
            }
        });
    }

    /** Inserts a marker segment after SOI and any APP0 (JFIF) segment. */
    static byte[] spliceJpeg(byte[] jpeg, int marker, byte[] payload) {
        int at = 2;
        if ((jpeg[2] & 0xff) == 0xff && (jpeg[3] & 0xff) == 0xe0) at = 4 + (((jpeg[4] & 0xff) << 8) | (jpeg[5] & 0xff));
        int len = payload.length + 2;
        byte[] out = new byte[jpeg.length + 2 + len];
        System.arraycopy(jpeg, 0, out, 0, at);
        out[at] = (byte) 0xff;
        out[at + 1] = (byte) marker;
        out[at + 2] = (byte) (len >> 8);
        out[at + 3] = (byte) len;
        System.arraycopy(payload, 0, out, at + 4, payload.length);
        System.arraycopy(jpeg, at, out, at + 4 + payload.length, jpeg.length - at);
        return out;
    }

    /** A TIFF structure (as in EXIF) with one IFD entry: Orientation = {@code o}. */
    static byte[] exifTiff(int o, boolean bigEndian) {
        ByteBuffer b = ByteBuffer.allocate(26).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.put(bigEndian ? (byte) 'M' : (byte) 'I').put(bigEndian ? (byte) 'M' : (byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) o).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    static byte[] exifApp1(int o, boolean bigEndian) {
        byte[] t = exifTiff(o, bigEndian);
        byte[] p = new byte[6 + t.length];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, p, 0, 6);
        System.arraycopy(t, 0, p, 6, t.length);
        return p;
    }

    /** Adobe APP14 payload; transform 0 = CMYK (stored inverted, as Photoshop writes it), 2 = YCCK. */
    static byte[] adobeApp14(int transform) {
        return new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
    }

    // ------------------------------------------------------------------ PNG plumbing

    static byte[] pngChunk(String type, byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        try {
            out.writeInt(data.length);
            out.write(t);
            out.write(data);
            CRC32 crc = new CRC32();
            crc.update(t);
            crc.update(data);
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bos.toByteArray();
    }

    static final byte[] PNG_SIG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};

    static byte[] ihdr(int w, int h, int depth, int colorType, int interlace) {
        return pngChunk("IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h)
                .put((byte) depth).put((byte) colorType).put((byte) 0).put((byte) 0).put((byte) interlace).array());
    }

    static byte[] zlib(byte[] raw) {
        Deflater d = new Deflater(9);
        d.setInput(raw);
        d.finish();
        byte[] buf = new byte[raw.length + 64];
        int n = d.deflate(buf);
        d.end();
        return Arrays.copyOf(buf, n);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** Offsets where each chunk of a PNG starts (the last entry is the file length). */
    static List<Integer> chunkStarts(byte[] png) {
        List<Integer> s = new ArrayList<>();
        int pos = 8;
        while (pos + 8 <= png.length) {
            s.add(pos);
            int n = ByteBuffer.wrap(png, pos, 4).getInt();
            pos += 12 + n;
        }
        s.add(png.length);
        return s;
    }

    // ------------------------------------------------------------------ the cases

    private void good(Path images) throws IOException {
        BufferedImage rgb = upright(BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage gray = upright(BufferedImage.TYPE_BYTE_GRAY);
        // EXIF orientation, all eight values (JPEG, little- and big-endian EXIF)
        for (int o = 1; o <= 8; o++) {
            byte[] j = jpeg(null, stored(rgb, o), false);
            ok("exif-" + o + ".jpg", spliceJpeg(j, 0xe1, exifApp1(o, o % 2 == 0)), W, H, true);
        }
        // PNG with an eXIf chunk (orientation 6) and a gray JPEG turned 8
        byte[] png6 = encode(stored(rgb, 6), "png");
        ok("exif-6.png", concat(Arrays.copyOf(png6, 33), pngChunk("eXIf", exifTiff(6, false)), Arrays.copyOfRange(png6, 33, png6.length)), W, H, true);
        BufferedImage g8 = new BufferedImage(H, W, BufferedImage.TYPE_BYTE_GRAY);
        g8.getRaster().setRect(ImageFiles.toBufferedImage(ImageFiles.fromBufferedImage(stored(gray, 8)).toGray(), 8).getRaster());
        ok("exif-8-gray.jpg", spliceJpeg(jpeg(null, g8, false), 0xe1, exifApp1(8, true)), W, H, true);
        ok("progressive.jpg", jpeg(null, rgb, true), W, H, true);

        // CMYK JPEG as Photoshop writes it: Adobe APP14 (transform 0), inverted samples
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, W, H, 4, null);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean block = x < W / 3 && y < H / 3;
                int k = block ? 0 : 190; // black ink: none in the block, heavy elsewhere
                cmyk.setPixel(x, y, new int[] {255, 255, 255, 255 - k});
            }
        }
        ok("cmyk-adobe.jpg", spliceJpeg(jpeg(cmyk, null, false), 0xee, adobeApp14(0)), W, H, true);
        // the same four planes marked as YCCK (Adobe transform 2): decodes through the YCCK path
        ok("ycck-adobe.jpg", spliceJpeg(jpeg(cmyk, null, false), 0xee, adobeApp14(2)), W, H, false);

        // TIFF: 8-bit RGB LZW in strips, 8-bit gray Deflate in 16x16 tiles, 16-bit gray, two pages
        ok("rgb8-lzw.tif", tiff(List.of(rgb), "LZW", 0), W, H, true);
        ok("gray8-deflate-tiled.tif", tiff(List.of(gray), "Deflate", 16), W, H, true);
        BufferedImage g16 = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) g16.getRaster().setSample(x, y, 0, gray.getRaster().getSample(x, y, 0) * 257);
        ok("gray16-deflate.tif", tiff(List.of(g16), "Deflate", 0), W, H, true);
        ok("two-pages.tif", tiff(List.of(rgb, upright(BufferedImage.TYPE_BYTE_GRAY)), "LZW", 0), W, H, true);
        // a scanner-style TIFF whose Orientation tag (6) says how to show it
        ok("orientation-6.tif", grayTiff(stored(gray, 6), 6), W, H, true);

        // PNG variants: palette with alpha (tRNS), 16-bit gray and RGB, gray+alpha, Adam7 interlaced
        int[] cmap = new int[16];
        for (int i = 0; i < 16; i++) cmap[i] = (0xff << 24) | (i * 17) * 0x010101;
        cmap[15] = 0x80ffffff; // a half-transparent white block: flattened onto white it stays bright
        IndexColorModel icm = new IndexColorModel(8, 16, cmap, 0, true, -1, DataBuffer.TYPE_BYTE);
        BufferedImage pal = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED, icm);
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) pal.getRaster().setSample(x, y, 0, x < W / 3 && y < H / 3 ? 15 : 3);
        ok("palette-alpha.png", encode(pal, "png"), W, H, true);
        ok("gray16.png", encode(g16, "png"), W, H, true);
        BufferedImage rgb16 = ImageFiles.toBufferedImage(ImageFiles.fromBufferedImage(rgb), 16);
        ok("rgb16.png", encode(rgb16, "png"), W, H, true);
        BufferedImage ga = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) ga.setRGB(x, y, (x < W / 3 && y < H / 3 ? 0xffffffff : 0xff303030));
        ok("argb.png", encode(ga, "png"), W, H, true);
        ok("interlaced.png", written("png", (w, p) -> {
            p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            w.write(null, new IIOImage(rgb, null, null), p);
        }), W, H, true);

        // GIF with two frames (the first is used), BMP, a PNG named .jpg, a PNG with a ZIP appended
        BufferedImage f0 = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED, icm);
        f0.getRaster().setRect(pal.getRaster());
        BufferedImage f1 = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED, icm);
        ok("animated.gif", written("gif", (w, p) -> {
            w.prepareWriteSequence(null);
            w.writeToSequence(new IIOImage(f0, null, null), null);
            w.writeToSequence(new IIOImage(f1, null, null), null);
            w.endWriteSequence();
        }), W, H, true);
        ok("rgb24.bmp", encode(rgb, "bmp"), W, H, true);
        byte[] rgbPng = encode(rgb, "png");
        ok("png-named.jpg", rgbPng, W, H, true);
        byte[] zip = {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        ok("png-then-zip.png", concat(rgbPng, zip), W, H, true);

        // WebP (made by webp/make-webp.sh): lossy, lossless with alpha, EXIF orientation 6, animated
        ok("lossy.webp", Files.readAllBytes(images.resolve("rgb-lossy.webp")), 48, 32, false);
        ok("lossless-alpha.webp", Files.readAllBytes(images.resolve("rgba-lossless.webp")), 48, 32, false);
        ok("exif-6.webp", Files.readAllBytes(images.resolve("orient6.webp")), 32, 48, false);
        ok("animated.webp", Files.readAllBytes(images.resolve("anim.webp")), 16, 16, false);
    }

    private void bad(Path images) throws IOException {
        BufferedImage rgb = upright(BufferedImage.TYPE_3BYTE_BGR);
        byte[] png = encode(rgb, "png");
        List<Integer> starts = chunkStarts(png); // IHDR, IDAT..., IEND, end
        refuse("empty.png", new byte[0], "empty");
        refuse("signature-only.png", PNG_SIG, "truncated");
        refuse("cut-in-ihdr.png", Arrays.copyOf(png, 8 + 12), "truncated");
        refuse("cut-after-ihdr.png", Arrays.copyOf(png, starts.get(1)), "truncated");
        refuse("cut-in-idat.png", Arrays.copyOf(png, starts.get(1) + 40), "truncated");
        refuse("cut-before-iend.png", Arrays.copyOf(png, starts.get(starts.size() - 2)), "truncated");
        byte[] crcIhdr = png.clone();
        crcIhdr[8 + 8 + 13 + 3] ^= 0x55; // last CRC byte of IHDR
        refuse("bad-crc-ihdr.png", crcIhdr, "checksum");
        byte[] crcIdat = png.clone();
        crcIdat[starts.get(1) + 8 + 3] ^= 0x01; // a data byte of IDAT
        refuse("bad-crc-idat.png", crcIdat, "checksum");
        byte[] raw = new byte[H * (1 + 3 * W)];
        refuse("zero-width.png", concat(PNG_SIG, ihdr(0, H, 8, 2, 0), pngChunk("IDAT", zlib(raw)), pngChunk("IEND", new byte[0])), "corrupt");
        refuse("negative-height.png", concat(PNG_SIG, ihdr(W, -5, 8, 2, 0), pngChunk("IDAT", zlib(raw)), pngChunk("IEND", new byte[0])), "corrupt");
        refuse("bomb-100000x100000.png", concat(PNG_SIG, ihdr(100_000, 100_000, 8, 0, 0), pngChunk("IDAT", zlib(new byte[64])),
                pngChunk("IEND", new byte[0])), "megapixels");
        refuse("bad-zlib.png", concat(PNG_SIG, ihdr(W, H, 8, 2, 0), pngChunk("IDAT", "this is not zlib data at all".getBytes(StandardCharsets.US_ASCII)),
                pngChunk("IEND", new byte[0])), "corrupt");
        refuse("short-idat.png", concat(PNG_SIG, ihdr(W, H, 8, 2, 0), pngChunk("IDAT", zlib(new byte[100])), pngChunk("IEND", new byte[0])), "PNG");
        refuse("bad-color-type.png", concat(PNG_SIG, ihdr(W, H, 8, 5, 0), pngChunk("IDAT", zlib(raw)), pngChunk("IEND", new byte[0])), "corrupt");
        refuse("bad-bit-depth.png", concat(PNG_SIG, ihdr(W, H, 7, 2, 0), pngChunk("IDAT", zlib(raw)), pngChunk("IEND", new byte[0])), "corrupt");
        refuse("no-ihdr.png", concat(PNG_SIG, pngChunk("IDAT", zlib(raw)), pngChunk("IEND", new byte[0])), "IHDR");

        byte[] jpg = jpeg(null, rgb, false);
        refuse("soi-only.jpg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}, "JPEG");
        refuse("cut-in-header.jpg", Arrays.copyOf(jpg, 120), "JPEG");
        refuse("cut-in-scan.jpg", Arrays.copyOf(jpg, jpg.length * 2 / 3), "truncated");
        refuse("no-frame.jpg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9}, "JPEG");
        int sof = indexOf(jpg, (byte) 0xff, (byte) 0xc0);
        byte[] zeroH = jpg.clone();
        zeroH[sof + 5] = 0;
        zeroH[sof + 6] = 0;
        refuse("zero-height.jpg", zeroH, "JPEG");
        byte[] bombJ = jpg.clone();
        bombJ[sof + 5] = (byte) 0xff;
        bombJ[sof + 6] = (byte) 0xdc; // 65500 rows
        bombJ[sof + 7] = (byte) 0xff;
        bombJ[sof + 8] = (byte) 0xdc; // 65500 columns
        refuse("bomb-65500x65500.jpg", bombJ, "megapixels");

        byte[] gif = encode(upright(BufferedImage.TYPE_BYTE_GRAY), "gif");
        refuse("cut.gif", Arrays.copyOf(gif, gif.length / 2), "GIF");
        byte[] bombG = gif.clone();
        int desc = gifDescriptor(bombG);
        bombG[6] = bombG[7] = bombG[8] = bombG[9] = (byte) 0xff; // screen 65535x65535
        bombG[desc + 5] = bombG[desc + 6] = bombG[desc + 7] = bombG[desc + 8] = (byte) 0xff;
        refuse("bomb-65535x65535.gif", bombG, "megapixels");

        byte[] bmp = encode(rgb, "bmp");
        refuse("cut.bmp", Arrays.copyOf(bmp, bmp.length / 2), "BMP");
        byte[] bombB = bmp.clone();
        ByteBuffer.wrap(bombB, 18, 8).order(ByteOrder.LITTLE_ENDIAN).putInt(100_000).putInt(100_000);
        refuse("bomb-100000x100000.bmp", bombB, "BMP");

        byte[] tif = tiff(List.of(rgb), "LZW", 0);
        refuse("cut.tif", Arrays.copyOf(tif, tif.length / 3), "TIFF");
        byte[] badIfd = tif.clone();
        ByteBuffer.wrap(badIfd, 4, 4).order(tif[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN).putInt(0x7ffffff0);
        refuse("ifd-past-end.tif", badIfd, "TIFF");
        refuse("bomb-100000x100000.tif", tiffHeaderOnly(100_000, 100_000), "megapixels");
        refuse("zero-width.tif", tiffHeaderOnly(0, 32), "TIFF");

        byte[] webp = Files.readAllBytes(images.resolve("rgb-lossy.webp"));
        refuse("cut.webp", Arrays.copyOf(webp, webp.length / 2), "WEBP");
        byte[] garbage = Arrays.copyOf(webp, webp.length);
        for (int i = 30; i < garbage.length; i++) garbage[i] = (byte) (i * 31);
        refuse("garbage-inside.webp", garbage, "WEBP");
        // an extended WebP (VP8X) whose canvas claims 16384x16384 (268 megapixels)
        ByteBuffer vp8x = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        vp8x.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22).put("WEBPVP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10);
        vp8x.putInt(0).put((byte) 0xff).put((byte) 0x3f).put((byte) 0).put((byte) 0xff).put((byte) 0x3f).put((byte) 0);
        refuse("bomb-16384x16384.webp", vp8x.array(), "megapixels");
        byte[] zeroGif = gif.clone();
        int d0 = gifDescriptor(zeroGif);
        zeroGif[6] = zeroGif[7] = zeroGif[8] = zeroGif[9] = 0;
        zeroGif[d0 + 5] = zeroGif[d0 + 6] = zeroGif[d0 + 7] = zeroGif[d0 + 8] = 0;
        refuse("zero-size.gif", zeroGif, "GIF");
        byte[] zeroB = bmp.clone();
        ByteBuffer.wrap(zeroB, 18, 8).order(ByteOrder.LITTLE_ENDIAN).putInt(W).putInt(0);
        refuse("zero-height.bmp", zeroB, "BMP");
        byte[] crcIend = png.clone();
        crcIend[crcIend.length - 1] ^= 0x01;
        refuse("bad-crc-iend.png", crcIend, "checksum");

        // not images at all, whatever the name says
        refuse("text.png", "This is not an image, just a text file with a .png name.\n".getBytes(StandardCharsets.US_ASCII), "not a");
        refuse("html.jpg", "<!doctype html><html><body><img src=x onerror=alert(1)></body></html>\n".getBytes(StandardCharsets.US_ASCII), "not a");
        refuse("svg.png", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>\n".getBytes(StandardCharsets.US_ASCII), "not a");
        refuse("pdf.jpg", "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII), "PDF");
        refuse("zip.png", concat(new byte[] {'P', 'K', 3, 4}, new byte[40]), "ZIP");
        refuse("heic.jpg", concat(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'}, new byte[20]), "HEIF");
        refuse("random.png", randomBytes(512), "not a");
        // polyglots: a GIF header that is really a script, a PNG signature over JPEG data
        refuse("gif-script.gif", "GIF89a=1;alert(document.domain);//\n".getBytes(StandardCharsets.US_ASCII), "GIF");
        refuse("png-sig-jpeg-body.png", concat(PNG_SIG, Arrays.copyOfRange(jpg, 2, jpg.length)), "PNG");
    }

    /** An uncompressed 8-bit gray TIFF (one strip) with an Orientation tag. */
    static byte[] grayTiff(BufferedImage gray, int orientation) {
        int w = gray.getWidth(), h = gray.getHeight(), entries = 9;
        int ifd = 8, data = ifd + 2 + 12 * entries + 4;
        ByteBuffer b = ByteBuffer.allocate(data + w * h).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        b.putShort((short) entries);
        entry(b, 256, 4, w);
        entry(b, 257, 4, h);
        entry(b, 258, 3, 8);
        entry(b, 259, 3, 1);
        entry(b, 262, 3, 1);
        entry(b, 273, 4, data);
        entry(b, 274, 3, orientation);
        entry(b, 278, 4, h);
        entry(b, 279, 4, w * h);
        b.putInt(0);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) b.put((byte) gray.getRaster().getSample(x, y, 0));
        return b.array();
    }

    /** A little-endian TIFF with one IFD claiming a w×h 8-bit gray strip, and no pixel data. */
    static byte[] tiffHeaderOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + 8 * 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) 8);
        entry(b, 256, 4, w); // ImageWidth
        entry(b, 257, 4, h); // ImageLength
        entry(b, 258, 3, 8); // BitsPerSample
        entry(b, 259, 3, 1); // Compression: none
        entry(b, 262, 3, 1); // Photometric: BlackIsZero
        entry(b, 273, 4, 200); // StripOffsets
        entry(b, 278, 4, h); // RowsPerStrip
        entry(b, 279, 4, w); // StripByteCounts (a lie: the file is tiny)
        b.putInt(0);
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int type, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) b.putShort((short) value).putShort((short) 0);
        else b.putInt(value);
    }

    /** Offset of the first image descriptor (0x2C) of a GIF. */
    private static int gifDescriptor(byte[] g) {
        int pos = 13;
        if ((g[10] & 0x80) != 0) pos += 3 * (1 << ((g[10] & 7) + 1));
        while (g[pos] == 0x21) { // extension: label, then sub-blocks until a 0 length
            pos += 2;
            while (g[pos] != 0) pos += (g[pos] & 0xff) + 1;
            pos++;
        }
        if (g[pos] != 0x2c) throw new IllegalStateException("no GIF image descriptor");
        return pos;
    }

    private static int indexOf(byte[] a, byte x, byte y) {
        for (int i = 2; i + 1 < a.length; i++) if (a[i] == x && a[i + 1] == y) return i;
        throw new IllegalStateException("marker not found");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        long s = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < n; i++) {
            s ^= s << 13;
            s ^= s >>> 7;
            s ^= s << 17;
            b[i] = (byte) s;
        }
        b[0] = 0x13; // not accidentally a known signature
        return b;
    }
}
