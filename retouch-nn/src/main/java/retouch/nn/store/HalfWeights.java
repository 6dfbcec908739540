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
 * The float16 weights file: every parameter of a block, in {@link Block#getParameters()} order,
 * rounded to IEEE half precision (round to nearest even). Half the size of DJL's float32 file;
 * values are loaded back into the block's float32 arrays, so inference runs as before.
 *
 * <p>Layout (big-endian): "RTF16", int version 1, int count, then per parameter its name (UTF),
 * int rank, long dims, and the half values as shorts. Written by Retouch itself rather than
 * through DJL because DJL 0.36 cannot decode the float16 arrays it encodes.
 */
final class HalfWeights {
    private static final byte[] MAGIC = {'R', 'T', 'F', '1', '6'};
    private static final int VERSION = 1;

    private HalfWeights() {}

    static byte[] encode(Block block) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream dos = new DataOutputStream(bos)) {
            dos.write(MAGIC);
            dos.writeInt(VERSION);
            dos.writeInt(block.getParameters().size());
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray a = p.getValue().getArray();
                long[] shape = a.getShape().getShape();
                dos.writeUTF(p.getKey());
                dos.writeInt(shape.length);
                for (long d : shape) dos.writeLong(d);
                for (float v : a.toType(DataType.FLOAT32, false).toFloatArray()) dos.writeShort(toHalf(v));
            }
        }
        return bos.toByteArray();
    }

    /** Whether {@code bytes} start like a file of this kind. */
    static boolean isHalf(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC);
    }

    /**
     * Copies the stored values into {@code block}'s initialised float32 parameters, checking every
     * name and shape first.
     *
     * @param who the file, for messages
     */
    static void decodeInto(Block block, byte[] bytes, String who) {
        if (!isHalf(bytes)) {
            throw new RetouchException("weights of model " + who + " are not a float16 weights file although model.json says "
                    + "so; copy the model again or retrain it");
        }
        var params = block.getParameters();
        try (DataInputStream dis = new DataInputStream(new ByteArrayInputStream(bytes))) {
            dis.skipNBytes(MAGIC.length);
            int version = dis.readInt();
            if (version != VERSION) {
                throw new RetouchException("weights of model " + who + " use float16 layout " + version + "; upgrade Retouch");
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
                for (int i = 0; i < v.length; i++) v[i] = toFloat(dis.readShort());
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
