package retouch.nn.torchscript;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive (what {@code torch.jit.save} writes and {@code torch.jit.load} /
 * libtorch's {@code torch::jit::load} read) without Python: a zip with one folder holding
 *
 * <ul>
 *   <li>{@code code/__torch__.py}: the module's class in TorchScript source (attribute types and
 *       a {@code forward} method), compiled by the loader;</li>
 *   <li>{@code data.pkl}: the module object pickled (protocol 2), its tensors as persistent ids
 *       pointing at {@code data/N} (raw little-endian float32 storages);</li>
 *   <li>{@code constants.pkl} (an empty tuple), {@code version} (file format 3, readable by
 *       PyTorch 1.5 and later), and optional {@code extra/NAME} files.</li>
 * </ul>
 *
 * One class, float32 tensors, float attributes: enough for the feed-forward convolutional networks
 * Retouch exports. Entries are stored uncompressed, as PyTorch writes them.
 */
public final class TorchScriptArchive {
    /** TorchScript file format written; every operator the exporter emits exists unchanged since it. */
    static final String FORMAT_VERSION = "3";
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private record Tensor(float[] data, long[] shape, boolean parameter) {}

    private final String className;
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private final Map<String, byte[]> extraFiles = new LinkedHashMap<>();
    private final List<String> forwardLines = new ArrayList<>();
    private final List<String> extraInputs = new ArrayList<>();

    /** @param className the module's class name (a Python identifier), e.g. {@code RetouchDnCnn} */
    public TorchScriptArchive(String className) {
        this.className = checkIdent(className);
    }

    /** Adds a trainable tensor ({@code self.NAME} in the code). */
    public TorchScriptArchive parameter(String name, float[] data, long[] shape) {
        return tensor(name, data, shape, true);
    }

    /** Adds a non-trainable tensor, e.g. BatchNorm running statistics. */
    public TorchScriptArchive buffer(String name, float[] data, long[] shape) {
        return tensor(name, data, shape, false);
    }

    private TorchScriptArchive tensor(String name, float[] data, long[] shape, boolean parameter) {
        long n = 1;
        for (long d : shape) n *= d;
        if (n != data.length) throw new IllegalArgumentException(name + ": " + data.length + " values for shape " + java.util.Arrays.toString(shape));
        put(name, new Tensor(data.clone(), shape.clone(), parameter));
        return this;
    }

    /** Adds a float attribute ({@code self.NAME}), which users may change after loading. */
    public TorchScriptArchive floatAttribute(String name, double value) {
        put(name, value);
        return this;
    }

    private void put(String name, Object value) {
        checkIdent(name);
        if (name.equals("training") || attributes.putIfAbsent(name, value) != null) {
            throw new IllegalArgumentException("attribute '" + name + "' is already defined");
        }
    }

    /** Appends a line of {@code forward(self, x: Tensor) -> Tensor}'s body (no indentation). */
    public TorchScriptArchive forwardLine(String line) {
        forwardLines.add(line);
        return this;
    }

    /** Adds a further Tensor argument to {@code forward} after {@code x} (for tests of models Retouch cannot run). */
    TorchScriptArchive extraInput(String name) {
        extraInputs.add(checkIdent(name));
        return this;
    }

    /** Adds {@code extra/NAME}, readable with {@code torch.jit.load(path, _extra_files={NAME: ""})}. */
    public TorchScriptArchive extraFile(String name, byte[] content) {
        if (!name.matches("[A-Za-z0-9_.-]+")) throw new IllegalArgumentException("bad extra file name " + name);
        extraFiles.put(name, content.clone());
        return this;
    }

    /** The TorchScript source of the module class. */
    public String code() {
        StringBuilder c = new StringBuilder();
        c.append("class ").append(className).append("(Module):\n");
        c.append("  __parameters__ = [").append(names(true)).append("]\n");
        c.append("  __buffers__ = [").append(names(false)).append("]\n");
        for (Map.Entry<String, Object> a : attributes.entrySet()) {
            c.append("  ").append(a.getKey()).append(" : ").append(a.getValue() instanceof Tensor ? "Tensor" : "float").append("\n");
        }
        c.append("  training : bool\n");
        c.append("  def forward(self: __torch__.").append(className).append(",\n    x: Tensor");
        for (String in : extraInputs) c.append(", ").append(in).append(": Tensor");
        c.append(") -> Tensor:\n");
        if (forwardLines.isEmpty()) throw new IllegalStateException("forward has no body");
        for (String l : forwardLines) c.append("    ").append(l).append("\n");
        return c.toString();
    }

    private String names(boolean parameters) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Object> a : attributes.entrySet()) {
            if (a.getValue() instanceof Tensor t && t.parameter() == parameters) s.append('"').append(a.getKey()).append("\", ");
        }
        return s.toString();
    }

    /** Writes the archive to {@code out} (not atomically; callers write a temporary file and rename). */
    public void write(Path out) throws IOException {
        Pickler p = new Pickler().global("__torch__", className).emptyTuple().newObj().emptyDict().mark();
        List<float[]> storages = new ArrayList<>();
        for (Map.Entry<String, Object> a : attributes.entrySet()) {
            p.string(a.getKey());
            if (a.getValue() instanceof Tensor t) {
                String key = Integer.toString(storages.size());
                storages.add(t.data());
                p.global("torch._utils", "_rebuild_tensor_v2").mark();
                p.mark().string("storage").global("torch", "FloatStorage").string(key).string("cpu").integer(t.data().length).tuple().binPersId();
                p.integer(0).intTuple(t.shape()).intTuple(strides(t.shape())).bool(t.parameter());
                p.global("collections", "OrderedDict").emptyTuple().reduce();
                p.tuple().reduce();
            } else {
                p.floating((Double) a.getValue());
            }
        }
        p.string("training").bool(false);
        byte[] data = p.setItems().build().stop();
        byte[] constants = new Pickler().emptyTuple().stop();

        String root = "archive/";
        try (OutputStream os = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(os)) {
            stored(zip, root + "data.pkl", data);
            stored(zip, root + "code/__torch__.py", code().getBytes(StandardCharsets.UTF_8));
            stored(zip, root + "constants.pkl", constants);
            for (int i = 0; i < storages.size(); i++) {
                float[] f = storages.get(i);
                ByteBuffer b = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(f);
                stored(zip, root + "data/" + i, b.array());
            }
            stored(zip, root + "version", (FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, byte[]> e : extraFiles.entrySet()) {
                stored(zip, root + "extra/" + e.getKey(), e.getValue());
            }
        }
    }

    private static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        e.setTime(315532800000L); // 1980-01-01, as PyTorch: the same model gives the same bytes
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static String checkIdent(String s) {
        if (s == null || !IDENT.matcher(s).matches()) throw new IllegalArgumentException("not an identifier: " + s);
        return s;
    }
}
