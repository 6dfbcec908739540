package retouch.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
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
 * <p>Samples become floats in [0,1]: 8-bit values /255, 16-bit values /65535 (full precision kept).
 * Gray sources (including gray palettes) decode to 1 channel, everything else to RGB.
 */
public final class ImageFiles {
    private ImageFiles() {}

    /** File-name extensions treated as images when listing folders (lower case, no dot). */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    private static final String KINDS = "PNG/JPEG/BMP/GIF";

    // ------------------------------------------------------------------ probing

    /** Header facts (size, channels, depth) without decoding the pixels. */
    public static ImageInfo probe(Path path) {
        String format = checkFileAndSniff(path);
        return withReader(path, format, (reader, warnings) -> info(path, format, reader));
    }

    /** Whether the name ends with one of {@link #EXTENSIONS}, ignoring case. */
    public static boolean hasImageExtension(Path path) {
        Path name = path.getFileName();
        if (name == null) return false;
        String s = name.toString();
        int dot = s.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(s.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * The format the first bytes announce: "PNG", "JPEG", "GIF", "BMP", or null when none of them.
     */
    public static String sniff(byte[] head, int n) {
        if (n >= 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G'
                && head[4] == 0x0d && head[5] == 0x0a && head[6] == 0x1a && head[7] == 0x0a) return "PNG";
        if (n >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff) return "JPEG";
        if (n >= 6 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F' && head[3] == '8') return "GIF";
        if (n >= 14 && head[0] == 'B' && head[1] == 'M') return "BMP";
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
            ImageInfo info = info(path, format, reader);
            if (format.equals("JPEG") && info.channels() == 4) {
                throw new RetouchException(path + ": CMYK JPEG images are not supported; convert it to RGB first"
                        + " (e.g. ImageMagick: convert IN.jpg -colorspace sRGB OUT.png)");
            }
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
            Planes p = planes(bi);
            return new Decoded(p.image, p.alpha, info);
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

    private static String describeUnknown(byte[] b, int n) {
        if (n >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0) || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) {
            return "it is a TIFF image, which is not supported";
        }
        if (n >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return "it is a WebP image, which is not supported";
        }
        if (n >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            return "it is a HEIF/AVIF or MP4-family file, which is not supported";
        }
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
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
        if (!it.hasNext()) {
            throw new RetouchException(path + ": no " + format + " decoder is available in this Java runtime; convert the file to PNG");
        }
        ImageReader reader = it.next();
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream in = new FileImageInputStream(path.toFile())) {
            reader.setInput(in, true, true);
            return action.apply(reader, warnings);
        } catch (RetouchException e) {
            throw e;
        } catch (IOException e) {
            throw new RetouchException(path + ": " + format + " data is " + describeFailure(e)
                    + "; the file is damaged or was cut short, export or download it again", e);
        } catch (RuntimeException e) {
            // decoders throw assorted unchecked exceptions on malformed data
            throw new RetouchException(path + ": " + format + " data cannot be decoded (" + rootMessage(e)
                    + "); the file is damaged, export or download it again", e);
        } finally {
            reader.dispose();
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
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            long len = f.length();
            int tail = (int) Math.min(len, 4096);
            byte[] b = new byte[tail];
            f.seek(len - tail);
            f.readFully(b);
            for (int i = tail - 2; i >= 0; i--) {
                if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == 0xd9) return false;
            }
            return true;
        }
    }

    private static ImageInfo info(Path path, String format, ImageReader reader) throws IOException {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
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
        if (cm == null) {
            // the JDK JPEG reader offers no type for CMYK / YCCK files
            return new ImageInfo(path, format, w, h, format.equals("JPEG") ? 4 : 3, 8, false, false);
        }
        if (cm instanceof IndexColorModel icm) {
            boolean gray = isGrayPalette(icm);
            boolean alpha = icm.hasAlpha();
            return new ImageInfo(path, format, w, h, (gray ? 1 : 3) + (alpha ? 1 : 0), 8, alpha, true);
        }
        int comps = cm.getNumComponents();
        int depth = cm.getComponentSize(0) > 8 ? 16 : 8;
        return new ImageInfo(path, format, w, h, comps, depth, cm.hasAlpha(), false);
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

    /**
     * Writes by extension: .png (8-bit), .jpg/.jpeg (quality 95), .bmp; atomically. Use this for
     * user-chosen output names.
     */
    public static void write(Image im, Path path) {
        String name = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            writePng(im, path);
        } else if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            BufferedImage bi = toBufferedImage(im, 8);
            AtomicFiles.write(path, out -> encode(bi, "jpeg", out, 0.95f));
        } else if (name.endsWith(".bmp")) {
            BufferedImage bi = toBufferedImage(im, 8);
            AtomicFiles.write(path, out -> encode(bi, "bmp", out, -1f));
        } else {
            throw new RetouchException(path + ": unknown output format; name the file .png, .jpg or .bmp");
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
        } finally {
            writer.dispose();
        }
    }
}
