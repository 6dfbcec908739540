package retouch.image;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The EXIF orientation tag (0x0112) of a photo and the flips and turns that make it upright.
 * Phones store pixels as the sensor saw them and write in the tag how to show them; viewers apply
 * it, so Retouch applies it on reading too, and the written result is upright with no tag.
 *
 * <p>Values (EXIF 2.32, TIFF 6.0): 1 as stored; 2 mirrored left-right; 3 turned 180°; 4 mirrored
 * top-bottom; 5 transposed (mirrored along the main diagonal); 6 turned 90° clockwise to show;
 * 7 transversed (mirrored along the other diagonal); 8 turned 90° counter-clockwise to show.
 *
 * <p>The tag is read from JPEG APP1 "Exif" segments, TIFF's first IFD, PNG {@code eXIf} chunks
 * and WebP {@code EXIF} chunks. Anything malformed reads as 1: a broken tag never stops a file
 * that otherwise decodes.
 */
public final class Orientation {
    private Orientation() {}

    /** Whether the orientation swaps width and height (5–8). */
    public static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /** The upright image for pixels stored with this orientation (1–8; others leave it as is). */
    public static Image apply(Image im, int orientation) {
        if (orientation <= 1 || orientation > 8) return im;
        int c = im.channels(), h = im.height(), w = im.width();
        boolean swap = swapsAxes(orientation);
        int oh = swap ? w : h, ow = swap ? h : w;
        float[] s = im.data(), d = new float[s.length];
        for (int ch = 0; ch < c; ch++) {
            int off = ch * h * w;
            for (int y = 0; y < oh; y++) {
                int o = off + y * ow;
                for (int x = 0; x < ow; x++) {
                    int sx, sy;
                    switch (orientation) {
                        case 2 -> { sx = w - 1 - x; sy = y; }
                        case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                        case 4 -> { sx = x; sy = h - 1 - y; }
                        case 5 -> { sx = y; sy = x; }
                        case 6 -> { sx = y; sy = h - 1 - x; }
                        case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                        default -> { sx = w - 1 - y; sy = x; } // 8
                    }
                    d[o + x] = s[off + sy * w + sx];
                }
            }
        }
        return new Image(c, oh, ow, d);
    }

    /**
     * The orientation recorded in the file (1–8), or 1 when there is none or it cannot be read.
     *
     * @param format "JPEG", "TIFF", "PNG", "WEBP" (others have no orientation: 1)
     */
    public static int read(Path path, String format) {
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            int v = switch (format) {
                case "JPEG" -> fromJpeg(f);
                case "TIFF" -> fromTiff(f, 0, f.length());
                case "PNG" -> fromPng(f);
                case "WEBP" -> fromWebp(f);
                default -> 1;
            };
            return v >= 1 && v <= 8 ? v : 1;
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    private static int fromJpeg(RandomAccessFile f) throws IOException {
        long len = f.length();
        long pos = 2; // after SOI
        for (int guard = 0; guard < 1000 && pos + 4 <= len; guard++) {
            f.seek(pos);
            int b = f.readUnsignedByte();
            if (b != 0xff) return 1;
            int marker = f.readUnsignedByte();
            while (marker == 0xff) marker = f.readUnsignedByte(); // fill bytes
            pos = f.getFilePointer();
            if (marker == 0xda || marker == 0xd9) return 1; // start of scan / end of image: no EXIF before the data
            if (marker >= 0xd0 && marker <= 0xd7 || marker == 0x01) continue; // markers without length
            int segLen = f.readUnsignedShort();
            if (segLen < 2) return 1;
            if (marker == 0xe1 && segLen >= 8) {
                byte[] id = new byte[6];
                f.readFully(id);
                if (id[0] == 'E' && id[1] == 'x' && id[2] == 'i' && id[3] == 'f' && id[4] == 0) {
                    return fromTiff(f, pos + 8, segLen - 8);
                }
            }
            pos += segLen;
        }
        return 1;
    }

    private static int fromPng(RandomAccessFile f) throws IOException {
        Chunk exif = findChunk(f, 8, true, "eXIf", "IEND", 100_000);
        return exif == null ? 1 : fromTiff(f, exif.data(), exif.size());
    }

    private static int fromWebp(RandomAccessFile f) throws IOException {
        Chunk exif = findChunk(f, 12, false, "EXIF", null, 10_000);
        if (exif == null) return 1;
        f.seek(exif.data());
        byte[] head = new byte[6];
        f.readFully(head);
        boolean prefixed = head[0] == 'E' && head[1] == 'x' && head[2] == 'i' && head[3] == 'f';
        return prefixed ? fromTiff(f, exif.data() + 6, exif.size() - 6) : fromTiff(f, exif.data(), exif.size());
    }

    /** Where a chunk's data lie in the file. */
    private record Chunk(long data, long size) {}

    /**
     * The first chunk of type {@code wanted} from {@code pos} on, or null when a chunk of type
     * {@code last}, the end of the file or {@code maxChunks} chunks come first. PNG chunks hold a
     * big-endian length, the type, the data and a CRC; RIFF (WebP) chunks the type, a
     * little-endian length and the data, padded to an even size.
     */
    private static Chunk findChunk(RandomAccessFile f, long pos, boolean png, String wanted, String last, int maxChunks)
            throws IOException {
        long len = f.length();
        for (int guard = 0; guard < maxChunks && pos + 8 <= len; guard++) {
            f.seek(pos);
            long n = png ? f.readInt() & 0xffffffffL : 0;
            byte[] type = new byte[4];
            f.readFully(type);
            if (!png) n = Integer.reverseBytes(f.readInt()) & 0xffffffffL;
            String t = new String(type, StandardCharsets.ISO_8859_1);
            if (t.equals(wanted)) return new Chunk(pos + 8, n);
            if (t.equals(last)) return null;
            pos += 8 + n + (png ? 4 : n & 1);
        }
        return null;
    }

    /** Reads tag 0x0112 from the first IFD of the TIFF structure at {@code base}. */
    private static int fromTiff(RandomAccessFile f, long base, long size) throws IOException {
        if (size < 8) return 1;
        f.seek(base);
        int b0 = f.readUnsignedByte(), b1 = f.readUnsignedByte();
        boolean little;
        if (b0 == 'I' && b1 == 'I') little = true;
        else if (b0 == 'M' && b1 == 'M') little = false;
        else return 1;
        int magic = u16(f, little);
        if (magic != 42) return 1; // BigTIFF (43) photos carry no EXIF orientation in practice
        long ifd = u32(f, little);
        if (ifd < 8 || ifd + 2 > size) return 1;
        f.seek(base + ifd);
        int entries = u16(f, little);
        for (int i = 0; i < entries && i < 1000; i++) {
            long entry = base + ifd + 2 + 12L * i;
            if (entry + 12 > base + size) return 1;
            f.seek(entry);
            int tag = u16(f, little);
            int type = u16(f, little);
            long count = u32(f, little);
            if (tag == 0x0112) {
                if (count < 1) return 1;
                if (type == 3) return u16(f, little); // SHORT, stored in the first two bytes of the value field
                if (type == 4) return (int) u32(f, little); // LONG (non-standard, seen in the wild)
                if (type == 1) return f.readUnsignedByte(); // BYTE (non-standard)
                return 1;
            }
        }
        return 1;
    }

    private static int u16(RandomAccessFile f, boolean little) throws IOException {
        int a = f.readUnsignedByte(), b = f.readUnsignedByte();
        return little ? a | (b << 8) : (a << 8) | b;
    }

    private static long u32(RandomAccessFile f, boolean little) throws IOException {
        long a = f.readUnsignedByte(), b = f.readUnsignedByte(), c = f.readUnsignedByte(), d = f.readUnsignedByte();
        return little ? a | (b << 8) | (c << 16) | (d << 24) : (a << 24) | (b << 16) | (c << 8) | d;
    }
}
