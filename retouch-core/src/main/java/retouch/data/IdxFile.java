package retouch.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import retouch.RetouchException;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST (unsigned-byte tensors), raw or gzipped
 * (recognized by content, not name). Every size in the header is checked against the data, since
 * a half-downloaded file is the usual way these sets break.
 */
public final class IdxFile {
    private IdxFile() {}

    /** Magic number of an unsigned-byte IDX file with 3 dimensions (images n×h×w). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte IDX file with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** An unsigned-byte tensor: its dimensions and row-major data. */
    public record Tensor(int[] dims, byte[] data) {}

    /** Reads any unsigned-byte IDX tensor, checking magic, dimensions and length. */
    public static Tensor read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new RetouchException(path + ": no such file" + (Files.isDirectory(path) ? " (it is a folder)" : "")
                    + "; give an IDX file such as train-images-idx3-ubyte.gz");
        }
        try (InputStream in = open(path); DataInputStream d = new DataInputStream(in)) {
            int magic;
            try {
                magic = d.readInt();
            } catch (EOFException e) {
                throw new RetouchException(path + ": too short to be an IDX file (under 4 bytes); download it again");
            }
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != 0x08 || (magic & 0xff) < 1 || (magic & 0xff) > 4) {
                throw new RetouchException(String.format("%s: not an unsigned-byte IDX file (magic number 0x%08x, expected 0x%08x for images"
                        + " or 0x%08x for labels); give an MNIST-format file", path, magic, IMAGES_MAGIC, LABELS_MAGIC));
            }
            int nd = magic & 0xff;
            int[] dims = new int[nd];
            long size = 1;
            for (int i = 0; i < nd; i++) {
                dims[i] = d.readInt();
                if (dims[i] < 0) throw new RetouchException(path + ": IDX header has a negative size " + dims[i] + "; the file is corrupt, download it again");
                size = Math.min(size, 1L << 31) * dims[i]; // saturates: three sizes near 2^31 overflowed a long
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new RetouchException(path + ": IDX header claims " + Arrays.toString(dims) + ", too large; the file is corrupt");
            }
            byte[] data = d.readNBytes((int) size);
            if (data.length < size) {
                throw new RetouchException(path + ": IDX data is truncated: the header says " + dimString(dims) + " = " + size
                        + " bytes but only " + data.length + " follow; download the file again");
            }
            if (d.read() != -1) {
                throw new RetouchException(path + ": IDX file has extra bytes after the " + dimString(dims) + " data; the file is corrupt, download it again");
            }
            return new Tensor(dims, data);
        } catch (EOFException | ZipException e) {
            throw new RetouchException(path + ": the file is truncated or corrupt (" + e.getMessage() + "); download it again", e);
        } catch (NoSuchFileException e) {
            throw new RetouchException(path + ": no such file", e);
        } catch (IOException e) {
            throw new RetouchException(path + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Reads an image file (n×h×w) and its label file into one set, checking they agree. */
    public static LabeledImages read(Path images, Path labels, List<String> classNames) {
        Tensor im = read(images);
        if (im.dims.length != 3) {
            throw new RetouchException(images + ": expected an image file (3 dimensions n×h×w), found " + dimString(im.dims)
                    + "; did you swap the images and labels files?");
        }
        Tensor lab = read(labels);
        if (lab.dims.length != 1) {
            throw new RetouchException(labels + ": expected a label file (1 dimension), found " + dimString(lab.dims)
                    + "; did you swap the images and labels files?");
        }
        if (lab.dims[0] != im.dims[0]) {
            throw new RetouchException(labels + ": has " + lab.dims[0] + " labels but " + images.getFileName() + " has "
                    + im.dims[0] + " images; use files from the same split");
        }
        int[] l = new int[lab.dims[0]];
        for (int i = 0; i < l.length; i++) {
            l[i] = lab.data[i] & 0xff;
            if (l[i] >= classNames.size()) {
                throw new RetouchException(labels + ": label " + l[i] + " at index " + i + " is not below " + classNames.size()
                        + " classes; this is not a label file for this dataset");
            }
        }
        return new LabeledImages(im.data, im.dims[0], im.dims[1], im.dims[2], l, classNames);
    }

    /** Writes a tensor as raw (uncompressed) IDX; for tests and conversions. */
    public static byte[] encode(int[] dims, byte[] data) {
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream(4 + 4 * dims.length + data.length);
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bos)) {
            out.writeInt(0x0800 | dims.length);
            for (int dim : dims) out.writeInt(dim);
            out.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bos.toByteArray();
    }

    private static InputStream open(Path path) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static String dimString(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) sb.append(i == 0 ? "" : "x").append(dims[i]);
        return sb.toString();
    }
}
