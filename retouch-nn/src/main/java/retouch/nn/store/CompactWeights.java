package retouch.nn.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import retouch.RetouchException;
import retouch.nn.Float16;

/**
 * The compact weights files: every parameter of a block, in {@link Block#getParameters()} order,
 * stored smaller than DJL's float32 file and loaded back into the block's float32 arrays, so
 * inference runs as before.
 * <ul>
 *   <li><b>float16</b> ("RTF16"): every value rounded to IEEE half precision (round to nearest
 *       even); half the size.</li>
 *   <li><b>int8</b> ("RTI08"): the weights of convolutions and dense layers (rank ≥ 2) as signed
 *       bytes with one float scale per output channel (symmetric: scale = max |w| / 127, so each
 *       weight moves by at most half a step); biases and other vectors as float16. About a quarter of
 *       the size.</li>
 * </ul>
 *
 * <p>Layout (big-endian): the 5-byte magic, int version 1, int count, then per parameter its name
 * (UTF), int rank, long dims, and its values: half values as shorts, or for int8 matrices dims[0]
 * float scales followed by the bytes. Written by Retouch itself rather than through DJL because DJL
 * 0.36 cannot decode the float16 arrays it encodes.
 */
final class CompactWeights {
    private static final byte[] MAGIC_HALF = {'R', 'T', 'F', '1', '6'};
    private static final byte[] MAGIC_INT8 = {'R', 'T', 'I', '0', '8'};
    private static final int VERSION = 1;

    private CompactWeights() {}

    /** Encodes {@code block}'s parameters as float16 ({@code int8} false) or int8. */
    static byte[] encode(Block block, boolean int8) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream dos = new DataOutputStream(bos)) {
            dos.write(int8 ? MAGIC_INT8 : MAGIC_HALF);
            dos.writeInt(VERSION);
            dos.writeInt(block.getParameters().size());
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray a = p.getValue().getArray();
                long[] shape = a.getShape().getShape();
                dos.writeUTF(p.getKey());
                dos.writeInt(shape.length);
                for (long d : shape) dos.writeLong(d);
                float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
                if (int8 && shape.length >= 2) writeInt8(dos, v, Math.toIntExact(shape[0]));
                else for (float x : v) dos.writeShort(toHalf(x));
            }
        }
        return bos.toByteArray();
    }

    /** Per output channel (the first axis): its scale, then its values as bytes. */
    private static void writeInt8(DataOutputStream dos, float[] v, int channels) throws IOException {
        int per = v.length / channels;
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = c * per; i < (c + 1) * per; i++) max = Math.max(max, Math.abs(v[i]));
            scales[c] = max / 127f;
            dos.writeFloat(scales[c]);
        }
        for (int c = 0; c < channels; c++) {
            for (int i = c * per; i < (c + 1) * per; i++) {
                dos.writeByte(scales[c] == 0 ? 0 : Math.round(v[i] / scales[c]));
            }
        }
    }

    /** Whether {@code bytes} start like a file of either kind. */
    static boolean isCompact(byte[] bytes) {
        return startsWith(bytes, MAGIC_HALF) || startsWith(bytes, MAGIC_INT8);
    }

    private static boolean startsWith(byte[] bytes, byte[] magic) {
        return bytes.length >= magic.length && Arrays.equals(Arrays.copyOf(bytes, magic.length), magic);
    }

    /**
     * Copies the stored values into {@code block}'s initialised float32 parameters, checking every
     * name and shape first.
     *
     * @param precision what model.json says the file holds ({@link ModelMeta#FLOAT16}, {@link ModelMeta#INT8}, or null: what the file's magic says)
     * @param who the file, for messages
     */
    static void decodeInto(Block block, byte[] bytes, String precision, String who) {
        // a file whose model.json names no compact precision is read as what its magic says
        boolean int8 = precision == null ? startsWith(bytes, MAGIC_INT8) : ModelMeta.INT8.equals(precision);
        if (!startsWith(bytes, int8 ? MAGIC_INT8 : MAGIC_HALF)) {
            throw new RetouchException("weights of model " + who + " are not a " + (int8 ? "int8" : "float16")
                    + " weights file although model.json says so; copy the model again or retrain it");
        }
        var params = block.getParameters();
        try (DataInputStream dis = new DataInputStream(new ByteArrayInputStream(bytes))) {
            dis.skipNBytes(MAGIC_HALF.length);
            int version = dis.readInt();
            if (version != VERSION) {
                throw new RetouchException("weights of model " + who + " use " + (int8 ? "int8" : "float16") + " layout " + version + "; upgrade Retouch");
            }
            int count = dis.readInt();
            if (count != params.size()) {
                throw new RetouchException("weights of model " + who + " hold " + count + " parameters but the architecture has "
                        + params.size() + "; the weights do not belong to this architecture");
            }
            for (Pair<String, Parameter> p : params) {
                String name = dis.readUTF();
                int rank = dis.readInt();
                if (rank < 0 || rank > 8) throw new IOException("bad rank " + rank);
                long[] shape = new long[rank];
                for (int i = 0; i < rank; i++) shape[i] = dis.readLong();
                NDArray a = p.getValue().getArray();
                if (!name.equals(p.getKey()) || !Arrays.equals(shape, a.getShape().getShape())) {
                    throw new RetouchException("weights of model " + who + " hold '" + name + "' " + ModelMeta.ParamInfo.shapeString(shape)
                            + " where the architecture has '" + p.getKey() + "' " + a.getShape()
                            + "; the weights do not belong to this architecture");
                }
                float[] v = new float[Math.toIntExact(a.size())];
                if (int8 && rank >= 2) {
                    int channels = Math.toIntExact(shape[0]), per = v.length / channels;
                    float[] scales = new float[channels];
                    for (int c = 0; c < channels; c++) scales[c] = dis.readFloat();
                    for (int i = 0; i < v.length; i++) v[i] = dis.readByte() * scales[i / per];
                } else {
                    for (int i = 0; i < v.length; i++) v[i] = toFloat(dis.readShort());
                }
                a.set(v);
            }
            if (dis.read() != -1) throw new IOException("unexpected data after the last parameter");
        } catch (EOFException e) {
            throw new RetouchException("weights of model " + who + " are truncated; copy the model again or retrain it", e);
        } catch (IOException e) {
            throw new RetouchException("weights of model " + who + " are corrupt (" + e.getMessage()
                    + "); copy the model again or retrain it", e);
        }
    }

    /** IEEE 754 binary16 of {@code f}, rounding to nearest even; overflow gives ±infinity. */
    static short toHalf(float f) {
        return Float16.toHalf(f);
    }

    /** The float value of an IEEE 754 binary16 (exact). */
    static float toFloat(short h) {
        return Float16.toFloat(h);
    }
}
