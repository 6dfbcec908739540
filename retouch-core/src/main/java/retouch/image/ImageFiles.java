package retouch.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.image.ColorConvertOp;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipException;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import retouch.RetouchException;

/**
 * Reading and writing image files, with the checks a tool that takes user files needs: the
 * format comes from the content (not the extension), the pixel budget is enforced from the header
 * before any decoding, and every failure (missing, empty, truncated, not an image, too large)
 * becomes a one-line {@link RetouchException} that names the file and says what to do.
 *
 * <p>Formats: PNG, JPEG (including CMYK/YCCK and Adobe JPEGs, through TwelveMonkeys ImageIO),
 * TIFF (8/16-bit, strips or tiles, uncompressed/LZW/Deflate/PackBits/JPEG; the first page of a
 * multi-page file), WebP (lossy, lossless, alpha), BMP and GIF (the first frame). Photos are
 * turned upright by their EXIF orientation ({@link Orientation}) as they are read. Colors tagged
 * with an ICC profile other than sRGB (Adobe RGB, Display P3, CMYK) are converted to sRGB; gray
 * images keep their values.
 *
 * <p>Samples become floats in [0,1]: 8-bit values /255, 16-bit values /65535 (full precision kept).
 * Gray sources (including gray palettes) decode to 1 channel, everything else to RGB.
 */
public final class ImageFiles {
    private ImageFiles() {}

    /** File-name extensions treated as images when listing folders (lower case, no dot). */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "tif", "tiff", "webp", "bmp", "gif");

    private static final String KINDS = "PNG/JPEG/TIFF/WebP/BMP/GIF";

    // ------------------------------------------------------------------ probing

    /** Header facts (size, channels, depth) without decoding the pixels. */
    public static ImageInfo probe(Path path) {
        String format = checkFileAndSniff(path);
        return withReader(path, format, (reader, warnings) -> info(path, format, reader));
    }

    /** Whether the name ends with one of {@link #EXTENSIONS}, ignoring case. */
    public static boolean hasImageExtension(Path path) {
        return EXTENSIONS.contains(extension(path));
    }

    /** The file name's extension in lower case without the dot; empty when it has none. */
    private static String extension(Path path) {
        Path name = path.getFileName();
        if (name == null) return "";
        String s = name.toString();
        int dot = s.lastIndexOf('.');
        return dot >= 0 ? s.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    /**
     * The format the first bytes announce: "PNG", "JPEG", "TIFF", "WEBP", "GIF", "BMP", or null
     * when none of them.
     */
    public static String sniff(byte[] head, int n) {
        if (n >= 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G'
                && head[4] == 0x0d && head[5] == 0x0a && head[6] == 0x1a && head[7] == 0x0a) return "PNG";
        if (n >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff) return "JPEG";
        if (n >= 6 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F' && head[3] == '8') return "GIF";
        if (n >= 14 && head[0] == 'B' && head[1] == 'M') return "BMP";
        if (n >= 8 && ((head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0)
                || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43)))) return "TIFF";
        if (n >= 16 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') return "WEBP";
        return null;
    }

    // ------------------------------------------------------------------ reading

    /** Decodes with {@link ReadOptions#defaults()}: alpha flattened onto white. */
    public static Image read(Path path) {
        return read(path, ReadOptions.defaults());
    }

    /** Decodes, flattening any alpha onto {@link ReadOptions#background()}. */
    public static Image read(Path path, ReadOptions options) {
        Decoded d = decode(path, options);
        Image im = d.image;
        if (d.alpha != null) flattenInPlace(im, d.alpha, options.background());
        return forceChannels(im, options.forceChannels());
    }

    /**
     * Decodes keeping alpha apart: the returned image holds the stored colors (not flattened), the
     * alpha plane is null for opaque formats. {@code forceChannels} applies to the color image.
     */
    public static LoadedImage readWithAlpha(Path path, ReadOptions options) {
        Decoded d = decode(path, options);
        return new LoadedImage(forceChannels(d.image, options.forceChannels()), d.alpha, d.info);
    }

    private record Decoded(Image image, Image alpha, ImageInfo info) {}

    private static Image forceChannels(Image im, int force) {
        return force == 0 || force == im.channels() ? im : im.withChannels(force);
    }

    private static Decoded decode(Path path, ReadOptions options) {
        String format = checkFileAndSniff(path);
        return withReader(path, format, (reader, warnings) -> {
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            checkBudget(path, w, h, options.maxPixels());
            byte[] pngProfile = format.equals("PNG") ? checkPngChunks(path) : null;
            ImageInfo info = info(path, format, reader);
            BufferedImage bi;
            try {
                bi = reader.read(0);
            } catch (OutOfMemoryError e) {
                throw new RetouchException(path + ": not enough memory to decode a " + w + "x" + h
                        + " image; give Java more memory (-Xmx) or use a smaller image");
            }
            if (format.equals("JPEG") && jpegTruncated(path, warnings)) {
                throw new RetouchException(path + ": JPEG data is truncated (" + (warnings.isEmpty() ? "no end-of-image marker" : warnings.get(0))
                        + "); the file was cut short, download or export it again");
            }
            if (bi.getWidth() != w || bi.getHeight() != h) {
                throw new RetouchException(path + ": " + format + " data does not match its header (" + w + "x" + h + " announced, "
                        + bi.getWidth() + "x" + bi.getHeight() + " decoded); the file is damaged, export it again");
            }
            if (pngProfile != null) bi = withProfile(bi, pngProfile);
            Planes p = planes(bi);
            int o = info.orientation();
            return new Decoded(Orientation.apply(p.image, o), p.alpha == null ? null : Orientation.apply(p.alpha, o), info);
        });
    }

    private static void checkBudget(Path path, int w, int h, long maxPixels) {
        long px = (long) w * h;
        if (px > maxPixels) {
            throw new RetouchException(String.format(Locale.ROOT,
                    "%s: image is %dx%d (%.1f megapixels), above the limit of %.1f megapixels; raise it with --max-pixels or -Dretouch.maxPixels",
                    path, w, h, px / 1e6, maxPixels / 1e6));
        }
        if (3L * px > Integer.MAX_VALUE - 8) {
            throw new RetouchException(String.format(Locale.ROOT,
                    "%s: image is %dx%d, too large to hold in memory as one image; split it into tiles first", path, w, h));
        }
    }

    // ------------------------------------------------------------------ file checks, reader plumbing

    @FunctionalInterface
    private interface ReaderAction<T> {
        T apply(ImageReader reader, List<String> warnings) throws IOException;
    }

    /** Checks existence, type, size and readability, then sniffs the format from the content. */
    private static String checkFileAndSniff(Path path) {
        if (!Files.exists(path)) {
            throw new RetouchException(path + ": no such file; check the path (relative paths start at " + Path.of("").toAbsolutePath() + ")");
        }
        if (Files.isDirectory(path)) {
            throw new RetouchException(path + ": is a folder, not an image file; give a " + KINDS + " file");
        }
        byte[] head = new byte[64];
        int n;
        try {
            if (Files.size(path) == 0) {
                throw new RetouchException(path + ": is empty (0 bytes); the file was not written completely, export or download it again");
            }
            try (InputStream in = Files.newInputStream(path)) {
                n = in.readNBytes(head, 0, head.length);
            }
        } catch (AccessDeniedException e) {
            throw new RetouchException(path + ": cannot be read (permission denied); check the file's permissions");
        } catch (IOException e) {
            throw new RetouchException(path + ": cannot be read (" + AtomicFiles.describe(e) + ")", e);
        }
        String format = sniff(head, n);
        if (format == null) {
            throw new RetouchException(path + ": not a " + KINDS + " image (" + describeUnknown(head, n) + "); give a " + KINDS
                    + " file or convert it to PNG");
        }
        return format;
    }

    /**
     * Walks a PNG's chunks: a file that ends before its IEND chunk is truncated, and a critical
     * chunk (IHDR, PLTE, IDAT, IEND) whose CRC does not match is damaged; both are refused, as
     * libpng does, instead of decoding garbage. Ancillary chunks with bad CRCs are ignored.
     *
     * @return the embedded ICC profile (iCCP chunk, inflated), or null (the JDK's PNG decoder
     *     ignores it; {@link #withProfile} applies it)
     */
    private static byte[] checkPngChunks(Path path) {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(path), 1 << 16))) {
            long len = Files.size(path);
            in.skipNBytes(8);
            long pos = 8;
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            byte[] buf = new byte[1 << 16];
            boolean first = true;
            byte[] icc = null;
            while (true) {
                if (pos + 12 > len) {
                    throw new RetouchException(path + ": PNG data is truncated (the file ends " + (pos == len ? "after" : "inside")
                            + " a chunk, before the IEND chunk); the file was cut short, download or export it again");
                }
                long n = in.readInt() & 0xffffffffL;
                byte[] type = new byte[4];
                in.readFully(type);
                String t = new String(type, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (first && !t.equals("IHDR")) {
                    throw new RetouchException(path + ": PNG data is corrupt (it does not start with an IHDR chunk); the file is damaged, export it again");
                }
                first = false;
                if (pos + 12 + n > len) {
                    throw new RetouchException(path + ": PNG data is truncated (the file ends inside its " + t
                            + " chunk); the file was cut short, download or export it again");
                }
                boolean critical = Character.isUpperCase(t.charAt(0));
                crc.reset();
                crc.update(type);
                long left = n;
                boolean keep = t.equals("iCCP") && n < (1 << 22);
                java.io.ByteArrayOutputStream kept = keep ? new java.io.ByteArrayOutputStream((int) n) : null;
                while (left > 0) {
                    int k = (int) Math.min(buf.length, left);
                    in.readFully(buf, 0, k);
                    if (critical) crc.update(buf, 0, k);
                    if (keep) kept.write(buf, 0, k);
                    left -= k;
                }
                if (keep) icc = inflateProfile(kept.toByteArray());
                long stored = in.readInt() & 0xffffffffL;
                if (critical && stored != crc.getValue()) {
                    throw new RetouchException(path + ": PNG data is corrupt (the checksum of its " + t
                            + " chunk does not match); the file is damaged, download or export it again");
                }
                pos += 12 + n;
                if (t.equals("IEND")) return icc;
            }
        } catch (IOException e) {
            throw new RetouchException(path + ": PNG data is truncated or unreadable (" + AtomicFiles.describe(e)
                    + "); download or export it again", e);
        }
    }

    private static String describeUnknown(byte[] b, int n) {
        if (n >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            return "it is a HEIF/AVIF or MP4-family file, which is not supported";
        }
        if (n >= 5 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F') return "it is a PDF document";
        if (n >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) return "it is a ZIP archive";
        if (n >= 4 && b[0] == '8' && b[1] == 'B' && b[2] == 'P' && b[3] == 'S') return "it is a Photoshop PSD file, which is not supported";
        if (n >= 12 && (b[0] & 0xff) == 0 && b[4] == 'j' && b[5] == 'P') return "it is a JPEG 2000 image, which is not supported";
        boolean text = true;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f) { text = false; break; }
        }
        if (text) return "it looks like a text file";
        StringBuilder sb = new StringBuilder("it starts with bytes");
        for (int i = 0; i < Math.min(n, 8); i++) sb.append(String.format(Locale.ROOT, " %02x", b[i] & 0xff));
        return sb.toString();
    }

    private static <T> T withReader(Path path, String format, ReaderAction<T> action) {
        List<ImageReader> readers = readersFor(format);
        if (readers.isEmpty()) {
            throw new RetouchException(path + ": no " + format + " decoder is available in this Java runtime; convert the file to PNG");
        }
        RetouchException failure = null;
        for (ImageReader reader : readers) {
            try {
                return withReader(path, format, reader, action);
            } catch (DecodeFailure e) {
                // TIFF: the JDK's reader first (4x faster on LZW), TwelveMonkeys' for what it cannot read
                failure = e.refusal;
            } finally {
                reader.dispose();
            }
        }
        throw failure;
    }

    /**
     * Readers to try, best first: for TIFF the JDK's own reader (measured on a 3000x2000 RGB TIFF:
     * LZW 0.7 s against TwelveMonkeys' 3.2 s, Deflate about the same), then TwelveMonkeys' (old-style
     * JPEG, more exotic layouts); for other formats the first registered (TwelveMonkeys' JPEG reader,
     * which reads CMYK/YCCK and applies ICC profiles).
     */
    private static List<ImageReader> readersFor(String format) {
        List<ImageReader> all = new ArrayList<>();
        ImageIO.getImageReadersByFormatName(format).forEachRemaining(all::add);
        if (format.equals("TIFF")) {
            all.sort(java.util.Comparator.comparing((ImageReader r) -> !r.getClass().getName().startsWith("com.sun.")));
            return all;
        }
        for (int i = 1; i < all.size(); i++) all.get(i).dispose();
        return all.isEmpty() ? all : List.of(all.get(0));
    }

    /** A decoder failed on the data (not a budget or size refusal): another reader may try. */
    private static final class DecodeFailure extends RuntimeException {
        final RetouchException refusal;

        DecodeFailure(RetouchException refusal) {
            super(refusal.getMessage(), null, false, false);
            this.refusal = refusal;
        }
    }

    private static <T> T withReader(Path path, String format, ImageReader reader, ReaderAction<T> action) {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream in = new FileImageInputStream(path.toFile())) {
            // not seek-forward-only: pages/frames are counted before the first is read
            reader.setInput(in, false, true);
            return action.apply(reader, warnings);
        } catch (RetouchException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (format.equals("JPEG") && !jpegEndsWithEoi(path)) {
                throw new RetouchException(path + ": JPEG data is truncated (no end-of-image marker; the decoder said: " + rootMessage(e)
                        + "); the file was cut short, download or export it again", e);
            }
            if (e instanceof RuntimeException re) throw new DecodeFailure(decodeFailure(path, format, re));
            throw new DecodeFailure(new RetouchException(path + ": " + format + " data is " + describeFailure(e)
                    + "; the file is damaged or was cut short, export or download it again", e));
        }
    }

    /** The profile of an iCCP chunk (name, 0, method 0, zlib data), or null when it cannot be read. */
    private static byte[] inflateProfile(byte[] chunk) {
        int nul = 0;
        while (nul < chunk.length && nul < 80 && chunk[nul] != 0) nul++;
        if (nul + 2 > chunk.length || chunk[nul + 1] != 0) return null;
        try (java.util.zip.InflaterInputStream z = new java.util.zip.InflaterInputStream(
                new java.io.ByteArrayInputStream(chunk, nul + 2, chunk.length - nul - 2))) {
            byte[] out = z.readNBytes(1 << 22);
            return out.length > 0 ? out : null;
        } catch (IOException e) {
            return null; // a broken profile is ignored, as browsers do
        }
    }

    /**
     * The decoded PNG tagged with its embedded ICC profile, so that {@link #planes} converts it to
     * sRGB like JPEG and TIFF; gray, palette and unreadable profiles leave the image as it is.
     */
    private static BufferedImage withProfile(BufferedImage bi, byte[] profile) {
        try {
            if (!(bi.getColorModel() instanceof ComponentColorModel cm) || cm.getColorSpace().getType() != ColorSpace.TYPE_RGB) return bi;
            ColorSpace cs = new ICC_ColorSpace(java.awt.color.ICC_Profile.getInstance(profile));
            if (cs.getType() != ColorSpace.TYPE_RGB || cs.getNumComponents() != 3) return bi;
            ComponentColorModel tagged = new ComponentColorModel(cs, cm.getComponentSize(), cm.hasAlpha(), cm.isAlphaPremultiplied(),
                    cm.getTransparency(), cm.getTransferType());
            if (!tagged.isCompatibleRaster(bi.getRaster())) return bi;
            return new BufferedImage(tagged, bi.getRaster(), false, null);
        } catch (RuntimeException e) {
            return bi; // not a usable profile: colours as stored
        }
    }

    /** Decoders throw assorted unchecked exceptions on malformed data. */
    private static RetouchException decodeFailure(Path path, String format, RuntimeException e) {
        return new RetouchException(path + ": " + format + " data cannot be decoded (" + rootMessage(e)
                + "); the file is damaged, export or download it again", e);
    }

    /** Whether the last 4 KB of the file hold a JPEG end-of-image marker (FF D9). */
    private static boolean jpegEndsWithEoi(Path path) {
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            long len = f.length();
            int tail = (int) Math.min(len, 4096);
            byte[] b = new byte[tail];
            f.seek(len - tail);
            f.readFully(b);
            for (int i = tail - 2; i >= 0; i--) {
                if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == 0xd9) return true;
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String describeFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) return "truncated (unexpected end of file)";
            String m = t.getMessage();
            if (m != null && m.toLowerCase(Locale.ROOT).contains("end of")) return "truncated (" + m + ")";
            if (t instanceof ZipException) return "corrupt (" + m + ")";
        }
        return "corrupt or unreadable (" + rootMessage(e) + ")";
    }

    private static String rootMessage(Throwable e) {
        String best = e.getClass().getSimpleName();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) best = t.getMessage();
        }
        return best;
    }

    /**
     * The JDK's JPEG decoder fills a cut-off file with gray and only warns; treat the libjpeg
     * "premature end" warning, or a file that does not end with the EOI marker, as truncation.
     */
    private static boolean jpegTruncated(Path path, List<String> warnings) throws IOException {
        for (String w : warnings) {
            String s = w.toLowerCase(Locale.ROOT);
            if (s.contains("premature end") || s.contains("end of file") || s.contains("truncat")) return true;
        }
        return !jpegEndsWithEoi(path);
    }

    private static ImageInfo info(Path path, String format, ImageReader reader) throws IOException {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w <= 0 || h <= 0) {
            // e.g. a JPEG frame header with height 0 (a DNL marker the JDK does not read): refused by the probe already
            throw new RetouchException(path + ": " + format + " header gives a size of " + w + "x" + h
                    + "; the file is corrupt, export or download it again");
        }
        ColorModel cm = null;
        try {
            ImageTypeSpecifier raw = reader.getRawImageType(0);
            if (raw != null) cm = raw.getColorModel();
            if (cm == null) {
                Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                if (types.hasNext()) cm = types.next().getColorModel();
            }
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (!format.equals("JPEG") || !m.contains("Unsupported")) throw e;
        }
        int orientation = Orientation.read(path, format);
        int pages = pages(format, reader);
        if (Orientation.swapsAxes(orientation)) {
            int t = w;
            w = h;
            h = t;
        }
        if (cm == null) {
            // no type offered (e.g. an unusual JPEG colour transform): decoded as RGB
            return new ImageInfo(path, format, w, h, format.equals("JPEG") ? 4 : 3, 8, false, false, orientation, pages);
        }
        if (cm instanceof IndexColorModel icm) {
            boolean gray = isGrayPalette(icm);
            boolean alpha = icm.hasAlpha();
            return new ImageInfo(path, format, w, h, (gray ? 1 : 3) + (alpha ? 1 : 0), 8, alpha, true, orientation, pages);
        }
        int comps = cm.getNumComponents();
        boolean grayish = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        if (!grayish && comps < 3) comps = 3; // e.g. a two-channel TIFF that is not gray+alpha: read as RGB
        int depth = cm.getComponentSize(0) > 8 ? 16 : 8;
        return new ImageInfo(path, format, w, h, comps, depth, cm.hasAlpha(), false, orientation, pages);
    }

    /** Pages (TIFF) or frames (GIF, WebP); 1 when the format has one image or counting fails. */
    private static int pages(String format, ImageReader reader) {
        if (!format.equals("TIFF") && !format.equals("GIF") && !format.equals("WEBP")) return 1;
        try {
            return Math.max(1, reader.getNumImages(true));
        } catch (IOException | RuntimeException e) {
            return 1; // a damaged later page or frame does not stop the first from being read
        }
    }

    private static boolean isGrayPalette(IndexColorModel icm) {
        for (int i = 0; i < icm.getMapSize(); i++) {
            int r = icm.getRed(i);
            if (r != icm.getGreen(i) || r != icm.getBlue(i)) return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ BufferedImage <-> Image

    private record Planes(Image image, Image alpha) {}

    /**
     * Samples of any decoded image: gray and RGB component images are read straight from the
     * raster (8 or 16 bits, no color-space conversion, so gray values are not gamma-shifted),
     * palettes through their table, other layouts through ARGB.
     */
    private static Planes planes(BufferedImage bi) {
        ColorModel cm = bi.getColorModel();
        Raster r = bi.getRaster();
        int w = bi.getWidth(), h = bi.getHeight(), n = w * h;
        int[] row = new int[w];
        if (cm instanceof IndexColorModel icm) {
            int size = icm.getMapSize();
            boolean gray = isGrayPalette(icm);
            boolean hasAlpha = icm.hasAlpha();
            float[][] lut = new float[4][size];
            for (int i = 0; i < size; i++) {
                lut[0][i] = icm.getRed(i) / 255f;
                lut[1][i] = icm.getGreen(i) / 255f;
                lut[2][i] = icm.getBlue(i) / 255f;
                lut[3][i] = icm.getAlpha(i) / 255f;
            }
            int c = gray ? 1 : 3;
            float[] out = new float[c * n];
            float[] alpha = hasAlpha ? new float[n] : null;
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int idx = Math.min(row[x], size - 1);
                    int o = y * w + x;
                    for (int k = 0; k < c; k++) out[k * n + o] = lut[k][idx];
                    if (alpha != null) alpha[o] = lut[3][idx];
                }
            }
            return new Planes(new Image(c, h, w, out), alpha == null ? null : new Image(1, h, w, alpha));
        }
        if (needsSrgb(cm)) {
            bi = toSrgb(bi);
            cm = bi.getColorModel();
            r = bi.getRaster();
        }
        int csType = cm.getColorSpace().getType();
        if (cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()
                && (cm.getTransferType() == DataBuffer.TYPE_BYTE || cm.getTransferType() == DataBuffer.TYPE_USHORT)
                && ((csType == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1)
                    || (csType == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3))
                && r.getNumBands() == cm.getNumComponents()) {
            int c = cm.getNumColorComponents();
            float[] out = new float[c * n];
            float[] alpha = cm.hasAlpha() ? new float[n] : null;
            for (int b = 0; b < cm.getNumComponents(); b++) {
                float maxv = (1 << cm.getComponentSize(b)) - 1; // divide (not multiply by 1/max): exact k/255f
                float[] dst = b < c ? out : alpha;
                int off = b < c ? b * n : 0;
                for (int y = 0; y < h; y++) {
                    r.getSamples(0, y, w, 1, b, row);
                    int o = off + y * w;
                    for (int x = 0; x < w; x++) dst[o + x] = row[x] / maxv;
                }
            }
            return new Planes(new Image(c, h, w, out), alpha == null ? null : new Image(1, h, w, alpha));
        }
        // packed (BMP 16/24/32-bit, DirectColorModel) and anything else: go through sRGB ARGB
        boolean hasAlpha = cm.hasAlpha();
        float[] out = new float[3 * n];
        float[] alpha = hasAlpha ? new float[n] : null;
        for (int y = 0; y < h; y++) {
            bi.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x], o = y * w + x;
                out[o] = ((p >> 16) & 0xff) / 255f;
                out[n + o] = ((p >> 8) & 0xff) / 255f;
                out[2 * n + o] = (p & 0xff) / 255f;
                if (alpha != null) alpha[o] = ((p >>> 24) & 0xff) / 255f;
            }
        }
        return new Planes(new Image(3, h, w, out), alpha == null ? null : new Image(1, h, w, alpha));
    }

    /**
     * Whether colors must be converted to be sRGB: true for RGB with an ICC profile other than
     * sRGB (Adobe RGB, Display P3, linear), CMYK, Lab and other color spaces. Gray stays as
     * stored, and packed (DirectColorModel) images are sRGB by construction.
     */
    private static boolean needsSrgb(ColorModel cm) {
        if (cm instanceof IndexColorModel || !(cm instanceof ComponentColorModel)) return false;
        ColorSpace cs = cm.getColorSpace();
        if (cs.getType() == ColorSpace.TYPE_GRAY || cs.isCS_sRGB()) return false;
        if (cs instanceof ICC_ColorSpace icc && cs.getType() == ColorSpace.TYPE_RGB) {
            try {
                return !com.twelvemonkeys.imageio.color.ColorSpaces.isCS_sRGB(icc.getProfile());
            } catch (RuntimeException | LinkageError e) {
                return true;
            }
        }
        return true;
    }

    /** The image converted to sRGB (8- or 16-bit as the source, alpha kept) by its color profile. */
    private static BufferedImage toSrgb(BufferedImage bi) {
        ColorModel src = bi.getColorModel();
        boolean wide = false;
        for (int b = 0; b < src.getNumComponents(); b++) wide |= src.getComponentSize(b) > 8;
        boolean alpha = src.hasAlpha();
        int bits = wide ? 16 : 8;
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                alpha ? new int[] {bits, bits, bits, bits} : new int[] {bits, bits, bits}, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, wide ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
        BufferedImage dst = new BufferedImage(cm, cm.createCompatibleWritableRaster(bi.getWidth(), bi.getHeight()), false, null);
        new ColorConvertOp(null).filter(bi, dst);
        return dst;
    }

    private static void flattenInPlace(Image im, Image alpha, float background) {
        float[] d = im.data(), a = alpha.data();
        int n = im.pixels();
        for (int c = 0; c < im.channels(); c++) {
            int off = c * n;
            for (int i = 0; i < n; i++) {
                float al = a[i];
                d[off + i] = al * d[off + i] + (1f - al) * background;
            }
        }
    }

    /**
     * Samples of a Java2D image as an {@link Image}: gray stays gray, alpha is flattened onto white.
     * For images from other libraries (e.g. rendered charts, web uploads decoded elsewhere).
     */
    public static Image fromBufferedImage(BufferedImage bi) {
        Planes p = planes(bi);
        if (p.alpha != null) flattenInPlace(p.image, p.alpha, 1f);
        return p.image;
    }

    /** An 8-bit Java2D image (TYPE_BYTE_GRAY or TYPE_3BYTE_BGR), values clipped and rounded. */
    public static BufferedImage toBufferedImage(Image im) {
        return toBufferedImage(im, 8);
    }

    /**
     * A Java2D image of the given bit depth (8 or 16) with 1 (gray) or 3 (RGB) bands; values are
     * clipped to [0,1] and rounded to the nearest level (NaN becomes 0).
     */
    public static BufferedImage toBufferedImage(Image im, int bitDepth) {
        if (bitDepth != 8 && bitDepth != 16) throw new IllegalArgumentException("bit depth must be 8 or 16, got " + bitDepth);
        int w = im.width(), h = im.height(), c = im.channels(), n = w * h;
        BufferedImage bi;
        if (bitDepth == 8) {
            bi = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        } else if (c == 1) {
            bi = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        } else {
            ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {16, 16, 16},
                    false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
            bi = new BufferedImage(cm, cm.createCompatibleWritableRaster(w, h), false, null);
        }
        WritableRaster r = bi.getRaster();
        float max = bitDepth == 8 ? 255f : 65535f;
        float[] d = im.data();
        int[] row = new int[w];
        for (int b = 0; b < c; b++) {
            for (int y = 0; y < h; y++) {
                int o = b * n + y * w;
                for (int x = 0; x < w; x++) {
                    float v = d[o + x];
                    v = v > 0f ? (v < 1f ? v : 1f) : 0f; // NaN → 0
                    row[x] = Math.round(v * max);
                }
                r.setSamples(0, y, w, 1, b, row);
            }
        }
        return bi;
    }

    // ------------------------------------------------------------------ writing

    /** Writes an 8-bit PNG (gray or RGB) atomically, creating parent folders. */
    public static void writePng(Image im, Path path) {
        writePng(im, path, 8);
    }

    /** Writes an 8- or 16-bit PNG (gray or RGB) atomically, creating parent folders. */
    public static void writePng(Image im, Path path, int bitDepth) {
        BufferedImage bi = toBufferedImage(im, bitDepth);
        AtomicFiles.write(path, out -> encode(bi, "png", out, -1f));
    }

    /** Output extensions {@link #write(Image, Path, int)} knows (lower case, no dot). */
    public static final List<String> WRITABLE = List.of("png", "jpg", "jpeg", "tif", "tiff", "bmp");

    /** Whether {@link #write} can write a file with this name (by its extension, ignoring case). */
    public static boolean isWritable(Path path) {
        return WRITABLE.contains(extension(path));
    }

    /**
     * Writes by extension: .png (8-bit), .jpg/.jpeg (quality 95), .tif/.tiff (Deflate), .bmp;
     * atomically. Use this for user-chosen output names.
     */
    public static void write(Image im, Path path) {
        write(im, path, 8);
    }

    /**
     * Writes by extension, atomically: .png and .tif/.tiff in {@code bitDepth} (8 or 16),
     * .jpg/.jpeg (8-bit, quality 95) and .bmp (8-bit). No metadata is written: pixels are stored
     * upright, so no orientation tag is needed.
     */
    public static void write(Image im, Path path, int bitDepth) {
        String name = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            writePng(im, path, bitDepth);
        } else if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            BufferedImage bi = toBufferedImage(im, 8);
            AtomicFiles.write(path, out -> encode(bi, "jpeg", out, 0.95f));
        } else if (name.endsWith(".tif") || name.endsWith(".tiff")) {
            BufferedImage bi = toBufferedImage(im, bitDepth);
            AtomicFiles.write(path, out -> encodeTiff(bi, out));
        } else if (name.endsWith(".bmp")) {
            BufferedImage bi = toBufferedImage(im, 8);
            AtomicFiles.write(path, out -> encode(bi, "bmp", out, -1f));
        } else {
            throw new RetouchException(path + ": unknown output format; name the file .png, .jpg, .tif or .bmp");
        }
    }

    private static void encodeTiff(BufferedImage bi, OutputStream out) throws IOException {
        // the JDK's own TIFF writer: TwelveMonkeys' (3.14) cannot write 16-bit RGB with compression
        ImageWriter writer = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (writer == null || w.getClass().getName().startsWith("com.sun.")) writer = w;
            if (w.getClass().getName().startsWith("com.sun.")) break;
        }
        if (writer == null) throw new IOException("no TIFF encoder in this Java runtime");
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                List<String> types = Arrays.asList(param.getCompressionTypes());
                for (String t : List.of("Deflate", "ZLib", "LZW")) {
                    if (types.contains(t)) {
                        param.setCompressionType(t);
                        break;
                    }
                }
            }
            writer.write(null, new IIOImage(bi, null, null), param);
            ios.flush();
        } catch (RuntimeException e) {
            throw new IOException("the TIFF encoder failed: " + rootMessage(e), e);
        } finally {
            writer.dispose();
        }
    }

    private static void encode(BufferedImage bi, String format, OutputStream out, float quality) throws IOException {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(format);
        if (!it.hasNext()) throw new IOException("no " + format + " encoder in this Java runtime");
        ImageWriter writer = it.next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality >= 0f && param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(bi, null, null), param);
            ios.flush();
        } catch (RuntimeException e) {
            throw new IOException("the " + format + " encoder failed: " + rootMessage(e), e);
        } finally {
            writer.dispose();
        }
    }
}
