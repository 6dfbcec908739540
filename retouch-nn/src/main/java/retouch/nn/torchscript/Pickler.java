package retouch.nn.torchscript;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The few opcodes of Python's pickle protocol 2 that a TorchScript archive's {@code data.pkl} and
 * {@code constants.pkl} need (the subset libtorch's own unpickler reads): globals, object
 * construction, dicts, tuples, strings, ints, floats, booleans and persistent ids (tensor storages).
 */
final class Pickler {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pickler() {
        out.write(0x80); // PROTO
        out.write(2);
    }

    Pickler global(String module, String name) {
        out.write('c');
        ascii(module + "\n" + name + "\n");
        return this;
    }

    Pickler mark() { out.write('('); return this; }

    Pickler tuple() { out.write('t'); return this; }

    Pickler emptyTuple() { out.write(')'); return this; }

    Pickler emptyDict() { out.write('}'); return this; }

    Pickler setItems() { out.write('u'); return this; }

    Pickler newObj() { out.write(0x81); return this; }

    Pickler build() { out.write('b'); return this; }

    Pickler reduce() { out.write('R'); return this; }

    Pickler binPersId() { out.write('Q'); return this; }

    Pickler bool(boolean v) { out.write(v ? 0x88 : 0x89); return this; }

    Pickler none() { out.write('N'); return this; }

    Pickler integer(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new IllegalArgumentException("integer too large for BININT: " + v);
        out.write('J');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        return this;
    }

    Pickler floating(double v) {
        out.write('G');
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(v).array());
        return this;
    }

    Pickler string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
        return this;
    }

    /** Writes {@code (v0, v1, ...)} of integers. */
    Pickler intTuple(long[] values) {
        mark();
        for (long v : values) integer(v);
        return tuple();
    }

    byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }

    private void ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
