package retouch.nn.torchscript;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.nn.Engines;
import retouch.nn.ImageTensors;
import retouch.nn.store.ModelFile;

/**
 * A user's TorchScript image-to-image model ({@code torch.jit.trace(model).save("x.pt")} or
 * {@code torch.jit.script}), loaded through DJL's PyTorch engine and probed for what Retouch must
 * know to run it on any image: the channels it reads (1 or 3; tried in that order unless given),
 * its scale factor (output size / input size, from a probe forward), and the size multiple it
 * needs (e.g. 2 for pixel-unshuffle networks, 8 for a U-Net with three poolings).
 *
 * <p>Contract: {@code forward(x)} with one {@code N×C×H×W} float32 tensor in [0, 1] returns one
 * {@code N×C×(sH)×(sW)} tensor in [0, 1]. Models that need a second input (a noise-level map,
 * a mask) are refused by the probe; bake the level into the model (see {@code retouch models
 * export-torchscript --sigma}). Archives written by Retouch's exporter carry
 * {@code extra/retouch.json} with the task and channels, which are used when present.
 */
public final class TorchScriptModel implements AutoCloseable {
    /** Name of the Retouch description inside archives Retouch writes. */
    public static final String RETOUCH_EXTRA = "retouch.json";
    /** Side of the square probe image. */
    static final int PROBE = 64;

    private final Model model;
    private final Path path;
    private final int channels;
    private final int scale;
    private final int multiple;
    private final Map<String, Object> retouchInfo;
    private final ParameterStore store;

    private TorchScriptModel(Model model, Path path, int channels, int scale, int multiple, Map<String, Object> retouchInfo) {
        this.model = model;
        this.path = path;
        this.channels = channels;
        this.scale = scale;
        this.multiple = multiple;
        this.retouchInfo = retouchInfo;
        this.store = new ParameterStore(model.getNDManager(), false);
    }

    /** Whether {@code nameOrPath} names a TorchScript file: a {@code .pt}/{@code .pth}/{@code .ts}/{@code .torchscript} name, or an existing zip with TorchScript code inside. */
    public static boolean isTorchScript(String nameOrPath) {
        if (nameOrPath == null) return false;
        String n = nameOrPath.toLowerCase(Locale.ROOT);
        if (n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".ts") || n.endsWith(".torchscript")) return true;
        Path p = Path.of(nameOrPath);
        if (!Files.isRegularFile(p)) return false;
        try (ZipFile zf = new ZipFile(p.toFile())) {
            return kind(zf) == Kind.TORCHSCRIPT;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private enum Kind { TORCHSCRIPT, CHECKPOINT, RETOUCH, OTHER }

    private static Kind kind(ZipFile zf) {
        boolean code = false, data = false, meta = false;
        for (var en = zf.entries(); en.hasMoreElements(); ) {
            String n = en.nextElement().getName();
            int slash = n.indexOf('/');
            String rest = slash < 0 ? n : n.substring(slash + 1);
            if (rest.startsWith("code/")) code = true;
            if (rest.equals("data.pkl")) data = true;
            if (n.equals(ModelFile.META_FILE) || n.endsWith("/" + ModelFile.META_FILE)) meta = true;
        }
        if (code && data) return Kind.TORCHSCRIPT;
        if (data) return Kind.CHECKPOINT;
        return meta ? Kind.RETOUCH : Kind.OTHER;
    }

    /**
     * Loads and probes the TorchScript file at {@code path}.
     *
     * @param channels 1 or 3 if known, 0 to use the file's Retouch description or probe (1, then 3)
     * @throws RetouchException naming the file and the fix when it is missing, not TorchScript, does
     *     not load, or does not behave as an image-to-image model
     */
    public static TorchScriptModel load(Path path, int channels) {
        String who = path.toString();
        if (channels != 0 && channels != 1 && channels != 3) {
            throw new RetouchException("--channels must be 1 (gray) or 3 (RGB), not " + channels);
        }
        if (!Files.exists(path)) {
            throw new RetouchException("TorchScript model " + who + " does not exist; check the path");
        }
        if (!Files.isRegularFile(path)) {
            throw new RetouchException("TorchScript model " + who + " is not a file; give the .pt file that torch.jit.save wrote");
        }
        Map<String, Object> info = checkArchive(path, who);
        Engines.init();
        Model model = Model.newInstance(path.getFileName().toString(), Device.cpu(), "PyTorch");
        try {
            model.load(path);
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            model.close();
            throw new RetouchException("cannot load TorchScript model " + who + " (" + firstLine(e) + "); re-export it with torch.jit.trace/torch.jit.script and torch.jit.save", e);
        }
        try {
            int c = channels != 0 ? channels : info.get("input_channels") instanceof Number n ? n.intValue() : 0;
            int[] probe = c != 0 ? probeWith(model, who, c) : probeChannels(model, who);
            int multiple = probeMultiple(model, probe[0], probe[1]);
            return new TorchScriptModel(model, path, probe[0], probe[1], multiple, info);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Checks that the file is a TorchScript zip, and reads the Retouch description if present. */
    private static Map<String, Object> checkArchive(Path path, String who) {
        try (ZipFile zf = new ZipFile(path.toFile())) {
            switch (kind(zf)) {
                case TORCHSCRIPT -> { }
                case CHECKPOINT -> throw new RetouchException(who + " was written by torch.save (weights or a pickled module), not TorchScript; in PyTorch save the model with "
                        + "torch.jit.trace(model.eval(), torch.rand(1, 3, 64, 64)).save('model.pt')");
                case RETOUCH -> throw new RetouchException(who + " is a Retouch model zip, not TorchScript; give it to --model under a .zip name");
                default -> throw new RetouchException(who + " is a zip but not a TorchScript archive (no code/ and data.pkl inside); "
                        + "give the file that torch.jit.save wrote");
            }
            for (var en = zf.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (e.getName().endsWith("/extra/" + RETOUCH_EXTRA)) {
                    try (InputStream is = zf.getInputStream(e)) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = ModelFile.json().readValue(is.readAllBytes(), Map.class);
                        return m == null ? Map.of() : m;
                    } catch (IOException ex) {
                        return Map.of(); // informational only
                    }
                }
            }
            return Map.of();
        } catch (java.util.zip.ZipException e) {
            throw new RetouchException(who + " is not a TorchScript archive (not a readable zip: " + e.getMessage()
                    + "); it may be truncated, or saved with torch.save instead of torch.jit.save; re-export or re-copy it", e);
        } catch (IOException e) {
            throw new RetouchException("cannot read TorchScript model " + who + ": " + e.getMessage(), e);
        }
    }

    private static int[] probeChannels(Model model, String who) {
        RetouchException first = null;
        for (int c : new int[] {1, 3}) {
            try {
                return probeWith(model, who, c);
            } catch (RetouchException e) {
                if (first == null) first = e;
                if (!e.getMessage().contains("fails on")) throw e; // it ran, but the output is wrong
            }
        }
        throw new RetouchException("TorchScript model " + who + " runs neither on a 1-channel nor on a 3-channel image (" + first.getMessage()
                + "); Retouch calls forward(x) with one N×C×H×W float tensor in [0,1]; models that need more inputs (e.g. a noise-level map) are not supported");
    }

    /** Runs a probe forward; returns {channels, scale}. */
    private static int[] probeWith(Model model, String who, int c) {
        Shape in = new Shape(1, c, PROBE, PROBE);
        Shape out;
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList y;
            try {
                y = forward(model, new ParameterStore(m, false), m, probeImage(c, PROBE, PROBE));
            } catch (RuntimeException e) {
                throw new RetouchException("TorchScript model " + who + " fails on a " + in + " input: " + firstLine(e), e);
            }
            if (y.size() != 1) {
                throw new RetouchException("TorchScript model " + who + " returns " + y.size() + " tensors for a " + in
                        + " input; Retouch needs forward(x) to return one N×C×H×W image tensor");
            }
            out = y.head().getShape();
        }
        long[] s = out.getShape();
        boolean image = s.length == 4 && s[0] == 1 && s[1] == c && s[2] % PROBE == 0 && s[2] == s[3] && s[2] >= PROBE && s[2] <= 8L * PROBE;
        if (!image) {
            throw new RetouchException("TorchScript model " + who + " returns shape " + out + " for a " + in + " input, which is not an image of the input's "
                    + "channels and size (times a whole scale factor 1-8); Retouch runs image-to-image models only");
        }
        return new int[] {c, (int) (s[2] / PROBE)};
    }

    /** The smallest size multiple (1, 2, 4, ... 32) at which the model keeps the size × scale; else 64. */
    private static int probeMultiple(Model model, int c, int scale) {
        for (int m : new int[] {1, 2, 4, 8, 16, 32}) {
            int side = m == 1 ? PROBE - 1 : PROBE + m; // a multiple of m but not of 2m
            try (NDManager nm = model.getNDManager().newSubManager()) {
                NDList y = forward(model, new ParameterStore(nm, false), nm, probeImage(c, side, side));
                Shape s = y.size() == 1 ? y.head().getShape() : null;
                if (s != null && s.dimension() == 4 && s.get(2) == (long) side * scale && s.get(3) == (long) side * scale) return m;
            } catch (RuntimeException e) {
                // try the next multiple
            }
        }
        return PROBE;
    }

    private static NDList forward(Model model, ParameterStore ps, NDManager m, Image input) {
        NDArray x = ImageTensors.toBatch(m, input);
        NDList y = model.getBlock().forward(ps, new NDList(x), false);
        for (NDArray a : y) a.attach(m);
        return y;
    }

    /** A reproducible probe image with texture and edges, values in [0, 1]. */
    static Image probeImage(int c, int h, int w) {
        SplittableRandom r = new SplittableRandom(42);
        Image im = new Image(c, h, w);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 0.5 + 0.3 * Math.sin(x * 0.3 + ch) * Math.cos(y * 0.2) + 0.1 * (r.nextDouble() - 0.5);
                    im.set(ch, y, x, (float) Math.max(0, Math.min(1, v)));
                }
            }
        }
        return im;
    }

    /**
     * The informative line of an engine error: libtorch prefixes TorchScript failures with a
     * traceback ("The following operation failed in the TorchScript interpreter. ...") and ends
     * them with the actual error ("RuntimeError: ..."); C++ errors append a stack trace.
     */
    static String firstLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        String[] lines = m.strip().split("\\R");
        String pick = null;
        for (String l : lines) {
            String t = l.strip();
            if (t.matches("^[A-Za-z.]*(Error|Exception): .*")) pick = t; // the last one wins
        }
        if (pick == null) {
            for (String l : lines) {
                String t = l.strip();
                if (!t.isEmpty() && !t.startsWith("The following operation failed") && !t.startsWith("Traceback")) {
                    pick = t;
                    break;
                }
            }
        }
        if (pick == null) pick = lines[0].strip();
        return pick.length() > 300 ? pick.substring(0, 300) + "…" : pick;
    }

    /** Runs the model on one image of {@link #channels()} channels whose sides are multiples of {@link #multiple()}. */
    public Image forward(Image input) {
        if (input.channels() != channels) {
            throw new IllegalArgumentException("model reads " + channels + " channels, got " + input.shapeString());
        }
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList y;
            try {
                y = forward(model, store, m, input);
            } catch (RuntimeException e) {
                throw new RetouchException("TorchScript model " + path + " failed on a " + input.width() + "x" + input.height()
                        + " tile (" + firstLine(e) + "); try another --tile", e);
            }
            return ImageTensors.toImage(y.head());
        }
    }

    /** Channels the model reads and writes (1 or 3). */
    public int channels() { return channels; }

    /** Output size / input size (1 for denoising or deblurring, 2 or 4 for super-resolution). */
    public int scale() { return scale; }

    /** Input sides must be multiples of this. */
    public int multiple() { return multiple; }

    /** The file it was loaded from. */
    public Path path() { return path; }

    /** The task recorded by Retouch's exporter ({@code extra/retouch.json}), or {@code null}. */
    public String recordedTask() {
        Object t = retouchInfo.get("task");
        return t == null ? null : t.toString();
    }

    /** The Retouch description from {@code extra/retouch.json} (empty for other models). */
    public Map<String, Object> retouchInfo() { return retouchInfo; }

    @Override
    public void close() {
        model.close();
    }
}
