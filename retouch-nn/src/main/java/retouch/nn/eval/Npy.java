package retouch.nn.eval;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import retouch.RetouchException;
import retouch.nn.Float16;

/**
 * Minimal reader and writer of NumPy {@code .npy} files (format 1.0, little-endian float16,
 * float32 or float64, C order, 1 or 2 dimensions), so the evaluator's reference statistics can be
 * checked with {@code numpy.load}. Java 17 has no half-precision type, so the float16 conversion
 * (round to nearest even) is here.
 */
final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=]?)([fiu])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** An array read from a file: its shape and values (as doubles; float16/32 widen exactly). */
    record Array(int[] shape, double[] values) {
        int rows() {
            return shape.length == 1 ? 1 : shape[0];
        }

        int cols() {
            return shape[shape.length - 1];
        }
    }

    private Npy() {}

    /** Writes {@code values} with {@code shape} as {@code '<f2'}, {@code '<f4'} or {@code '<f8'} ({@code bytes} = 2, 4, 8). */
    static void write(Path file, int[] shape, double[] values, int bytes) throws IOException {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
        }
        StringBuilder sh = new StringBuilder();
        for (int s : shape) {
            sh.append(s).append(", ");
        }
        String shapeText = shape.length == 1 ? shape[0] + "," : sh.substring(0, sh.length() - 2);
        String header = "{'descr': '<f" + bytes + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
        int total = MAGIC.length + 4 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(values.length * bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (bytes) {
                case 2 -> buf.putShort(toHalf((float) v));
                case 4 -> buf.putFloat((float) v);
                case 8 -> buf.putDouble(v);
                default -> throw new IllegalArgumentException("float width " + bytes + " bytes is not supported");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(total + pad + buf.capacity());
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        out.write(h.length & 0xff);
        out.write(h.length >>> 8);
        out.write(h);
        out.write(buf.array());
        Files.write(file, out.toByteArray());
    }

    /**
     * Reads a float {@code .npy} file written by {@link #write} or numpy.
     *
     * @throws RetouchException naming the file when it is missing, damaged or of another kind
     */
    static Array read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RetouchException("cannot read " + file + " (" + e.getMessage() + "); copy the evaluator model folder again", e);
        }
        try {
            if (all.length < 10 || !Arrays.equals(Arrays.copyOf(all, 6), MAGIC)) {
                throw new IllegalArgumentException("not a .npy file");
            }
            int major = all[6];
            int headerLen;
            int start;
            if (major == 1) {
                headerLen = (all[8] & 0xff) | (all[9] & 0xff) << 8;
                start = 10;
            } else if (major == 2 || major == 3) {
                headerLen = ByteBuffer.wrap(all, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                start = 12;
            } else {
                throw new IllegalArgumentException("unknown .npy version " + major);
            }
            String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            Matcher f = FORTRAN.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !f.find() || !s.find()) {
                throw new IllegalArgumentException("unreadable header " + header.trim());
            }
            if (d.group(1).equals(">") || !d.group(2).equals("f") || f.group(1).equals("True")) {
                throw new IllegalArgumentException("expected little-endian floats in C order, found " + header.trim());
            }
            int bytes = Integer.parseInt(d.group(3));
            String[] parts = s.group(1).split(",");
            int[] shape = Arrays.stream(parts).map(String::trim).filter(p -> !p.isEmpty()).mapToInt(Integer::parseInt).toArray();
            long n = 1;
            for (int v : shape) {
                n *= v;
            }
            int offset = start + headerLen;
            if ((long) all.length - offset != n * bytes) {
                throw new IllegalArgumentException("holds " + (all.length - offset) + " data bytes, shape " + Arrays.toString(shape)
                        + " needs " + n * bytes);
            }
            ByteBuffer buf = ByteBuffer.wrap(all, offset, all.length - offset).order(ByteOrder.LITTLE_ENDIAN);
            double[] values = new double[(int) n];
            for (int i = 0; i < n; i++) {
                values[i] = switch (bytes) {
                    case 2 -> fromHalf(buf.getShort());
                    case 4 -> buf.getFloat();
                    case 8 -> buf.getDouble();
                    default -> throw new IllegalArgumentException("float width " + bytes + " bytes is not supported");
                };
            }
            return new Array(shape, values);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new RetouchException(file + " is damaged or not a float .npy file (" + e.getMessage()
                    + "); copy the evaluator model folder again", e);
        }
    }

    /** IEEE 754 binary16 bits of {@code f}, rounded to nearest even; overflow gives ±infinity. */
    static short toHalf(float f) {
        return Float16.toHalf(f);
    }

    /** The float value of IEEE 754 binary16 bits. */
    static float fromHalf(short bits) {
        return Float16.toFloat(bits);
    }
}
