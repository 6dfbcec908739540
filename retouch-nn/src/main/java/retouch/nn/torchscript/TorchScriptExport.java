package retouch.nn.torchscript;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.nn.ImageTensors;
import retouch.nn.TinyCnn;
import retouch.nn.blocks.Layers;
import retouch.nn.restore.DnCnn;
import retouch.nn.restore.FfdNet;
import retouch.nn.restore.RestoreNets;
import retouch.nn.restore.TaskDegradation;
import retouch.nn.store.AtomicFiles;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;

/**
 * Writes a Retouch model (tiny-cnn, dncnn, ffdnet) as a TorchScript file that PyTorch
 * ({@code torch.jit.load}, 1.8 or later), libtorch, DJL and Retouch's own {@code restore --model
 * x.pt} run, without Python: the network is written as TorchScript source (convolutions, eval-mode
 * BatchNorm with the trained running statistics, ReLU, pixel (un)shuffle) plus its weights
 * ({@link TorchScriptArchive}). Before the file is put in place it is loaded back through the
 * PyTorch engine and its output on a probe image compared with the Retouch model's (max absolute
 * difference at most {@link #TOLERANCE}).
 *
 * <p>The file takes one input, {@code forward(x)} with x N×C×H×W float32 in [0, 1]. FFDNet's second
 * input, the noise level, is baked in as the float attribute {@code noise_level} (σ/255, from
 * {@code sigma}); PyTorch users may change it after loading ({@code m.noise_level = 15/255}). The
 * blind σ estimation of {@code retouch restore} is not part of the file. Super-resolution models
 * (sr2/sr3/sr4) take the bicubic-upscaled image, as inside Retouch.
 */
public final class TorchScriptExport {
    /** Largest allowed difference between the file's and the Retouch model's output. */
    public static final float TOLERANCE = 1e-4f;
    /** Architectures this exporter writes. */
    public static final List<String> ARCHITECTURES = List.of(TinyCnn.ARCHITECTURE, RestoreNets.DNCNN, RestoreNets.FFDNET);

    /**
     * What was written.
     *
     * @param file the TorchScript file
     * @param architecture the Retouch architecture
     * @param task the task recorded in the file
     * @param tensors weight tensors written
     * @param sigma the noise level baked in (0-255), NaN where the network takes none
     * @param maxDifference max |file − Retouch| on the probe image
     */
    public record Result(Path file, String architecture, String task, int tensors, double sigma, float maxDifference) {}

    private TorchScriptExport() {}

    /**
     * Exports {@code model} to {@code target} (replaced atomically).
     *
     * @param sigma noise level (0-255) to bake into an FFDNet; NaN: 0 for super-resolution models,
     *     required otherwise; must be NaN for networks that take no level
     */
    public static Result export(LoadedModel model, Path target, double sigma) throws IOException {
        ModelMeta meta = model.meta();
        String arch = meta.architecture();
        String name = meta.name() != null ? meta.name() : model.location().getFileName().toString();
        if (!ARCHITECTURES.contains(arch)) {
            throw new RetouchException("model " + name + " is a '" + arch + "' model; TorchScript export writes "
                    + String.join(", ", ARCHITECTURES));
        }
        if (meta.inputChannels() != meta.outputChannels()) {
            throw new RetouchException("model " + name + " maps " + meta.inputChannels() + " to " + meta.outputChannels()
                    + " channels; TorchScript export is for image-to-image models with the same channels in and out");
        }
        String task = meta.tasks() == null || meta.tasks().isEmpty() ? "denoise" : meta.tasks().get(0).toLowerCase(Locale.ROOT);
        boolean takesLevel = RestoreNets.takesLevel(arch);
        if (!takesLevel && !Double.isNaN(sigma)) {
            throw new RetouchException("--sigma applies to ffdnet models; " + name + " is a " + arch + " model, which takes only the image");
        }
        if (takesLevel && Double.isNaN(sigma)) {
            if (TaskDegradation.scaleOf(task) == 0) {
                throw new RetouchException("model " + name + " (ffdnet, " + task + ") takes the noise level as a second input; TorchScript files "
                        + "take only the image, so give the level to bake in: --sigma S (0-255, e.g. 25); it is stored as the attribute noise_level = S/255");
            }
            sigma = 0;
        }
        if (takesLevel && (sigma < 0 || sigma > 255)) {
            throw new RetouchException("--sigma must be from 0 to 255, not " + sigma);
        }

        String className = switch (arch) {
            case RestoreNets.DNCNN -> "RetouchDnCnn";
            case RestoreNets.FFDNET -> "RetouchFfdNet";
            default -> "RetouchTinyCnn";
        };
        TorchScriptArchive archive = new TorchScriptArchive(className);
        Block block = model.block();
        int tensors;
        switch (arch) {
            case RestoreNets.DNCNN -> {
                archive.forwardLine("h = x");
                tensors = emitStack(archive, ((DnCnn) block).body());
                archive.forwardLine("return torch.sub(x, h)");
            }
            case RestoreNets.FFDNET -> {
                archive.floatAttribute("noise_level", sigma / 255.0);
                archive.forwardLine("d = torch.pixel_unshuffle(x, 2)");
                archive.forwardLine("h = torch.cat([d, torch.full_like(torch.slice(d, 1, 0, 1), self.noise_level)], 1)");
                tensors = emitStack(archive, ((FfdNet) block).body());
                archive.forwardLine("u = torch.pixel_shuffle(h, 2)");
                archive.forwardLine(meta.boolParam("residual", true) ? "return torch.add(x, u)" : "return u");
            }
            default -> {
                archive.forwardLine("h = x");
                tensors = emitStack(archive, block);
                archive.forwardLine("return h");
            }
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("exported_by", "retouch");
        info.put("format", 1);
        info.put("source_model", name);
        info.put("architecture", arch);
        info.put("hyper_parameters", meta.hyperParameters());
        info.put("task", task);
        info.put("input_channels", meta.inputChannels());
        info.put("scale", 1);
        info.put("input", TaskDegradation.scaleOf(task) != 0
                ? "N x C x H x W float32 in [0,1], the bicubic upscale of the low-resolution image"
                : "N x C x H x W float32 in [0,1]");
        info.put("size_multiple", RestoreNets.sizeMultiple(arch));
        if (takesLevel) info.put("noise_level_255", sigma);
        if (meta.metrics() != null && !meta.metrics().isEmpty()) info.put("metrics", meta.metrics());
        archive.extraFile(TorchScriptModel.RETOUCH_EXTRA, ModelFile.json().writeValueAsBytes(info));

        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = AtomicFiles.tempSibling(abs);
        try {
            archive.write(tmp);
            float diff = verify(model, tmp, takesLevel ? (float) (sigma / 255.0) : Float.NaN, name);
            AtomicFiles.moveReplacing(tmp, abs);
            return new Result(abs, arch, task, tensors, takesLevel ? sigma : Double.NaN, diff);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Loads the written file back through the PyTorch engine and compares it with the Retouch model. */
    private static float verify(LoadedModel model, Path file, float level, String name) {
        int c = model.meta().inputChannels();
        Image probe = TorchScriptModel.probeImage(c, 48, 40);
        Image expected;
        try (NDManager m = model.manager().newSubManager()) {
            NDArray x = ImageTensors.toBatch(m, probe);
            NDList in = Float.isNaN(level) ? new NDList(x) : new NDList(x, m.create(new float[] {level}, new Shape(1, 1, 1, 1)));
            NDArray y = model.forward(in).singletonOrThrow();
            y.attach(m);
            expected = ImageTensors.toImage(y);
        }
        Image got;
        try (TorchScriptModel ts = TorchScriptModel.load(file, c)) {
            if (ts.scale() != 1) throw new IllegalStateException("exported model changes the size ×" + ts.scale());
            got = ts.forward(probe);
        } catch (RetouchException e) {
            throw new IllegalStateException("the TorchScript file written for " + name + " does not load back: " + e.getMessage(), e);
        }
        float max = 0;
        for (int i = 0; i < expected.data().length; i++) max = Math.max(max, Math.abs(expected.data()[i] - got.data()[i]));
        if (!(max <= TOLERANCE)) {
            throw new IllegalStateException("the TorchScript file written for " + name + " differs from the Retouch model by " + max
                    + " (tolerance " + TOLERANCE + "); this is a bug in the exporter");
        }
        return max;
    }

    /**
     * Appends the layers of {@code stack} (conv, BatchNorm, ReLU, thin-layer channel keep) as
     * statements on {@code h}; returns the number of tensors written.
     */
    static int emitStack(TorchScriptArchive archive, Block stack) {
        List<Block> leaves = new ArrayList<>();
        flatten(stack, leaves);
        int tensors = 0;
        Conv pending = null;
        int layer = 0;
        for (Block leaf : leaves) {
            if (leaf instanceof Conv2d conv) {
                tensors += flush(archive, pending);
                pending = Conv.of(conv, layer++);
            } else if (leaf instanceof LambdaBlock lb && lb.getName().startsWith("keep_")) {
                if (pending == null) throw new RetouchException("cannot export a channel keep that does not follow a convolution");
                pending = pending.keep(Integer.parseInt(lb.getName().substring("keep_".length())));
            } else if (leaf instanceof BatchNorm bn) {
                tensors += flush(archive, pending);
                pending = null;
                tensors += emitBatchNorm(archive, bn, layer++);
            } else if (leaf instanceof LambdaBlock lb && lb.getName().equalsIgnoreCase("ReLU")) {
                tensors += flush(archive, pending);
                pending = null;
                archive.forwardLine("h = torch.relu(h)");
            } else {
                throw new RetouchException("cannot export a " + leaf.getClass().getSimpleName()
                        + (leaf instanceof LambdaBlock lb ? " '" + lb.getName() + "'" : "") + " layer to TorchScript");
            }
        }
        return tensors + flush(archive, pending);
    }

    private static void flatten(Block b, List<Block> out) {
        if (b instanceof SequentialBlock s) {
            for (Block c : s.getChildren().values()) flatten(c, out);
        } else {
            out.add(b);
        }
    }

    /** A convolution waiting to be written (a following channel keep may still cut its filters). */
    private record Conv(int index, float[] weight, long[] wShape, float[] bias, long[] stride, long[] padding, long[] dilation, int groups) {
        static Conv of(Conv2d conv, int index) {
            NDArray w = conv.getDirectParameters().get("weight").getArray();
            float[] b = conv.isIncludeBias() ? conv.getDirectParameters().get("bias").getArray().toFloatArray() : null;
            return new Conv(index, w.toFloatArray(), w.getShape().getShape(), b, conv.getStride().getShape(),
                    conv.getPadding().getShape(), conv.getDilation().getShape(), conv.getGroups());
        }

        Conv keep(int filters) {
            if (filters > wShape[0]) throw new RetouchException("channel keep of " + filters + " after a convolution of " + wShape[0] + " filters");
            long per = weight.length / wShape[0];
            long[] s = wShape.clone();
            s[0] = filters;
            return new Conv(index, Arrays.copyOf(weight, (int) (filters * per)), s, bias == null ? null : Arrays.copyOf(bias, filters),
                    stride, padding, dilation, groups);
        }
    }

    private static int flush(TorchScriptArchive archive, Conv c) {
        if (c == null) return 0;
        if (c.wShape().length != 4) throw new RetouchException("cannot export a convolution with weight shape " + Arrays.toString(c.wShape()));
        String w = "conv" + c.index() + "_weight";
        archive.parameter(w, c.weight(), c.wShape());
        String bias = "None";
        if (c.bias() != null) {
            bias = "self.conv" + c.index() + "_bias";
            archive.parameter("conv" + c.index() + "_bias", c.bias(), new long[] {c.bias().length});
        }
        archive.forwardLine("h = torch.conv2d(h, self." + w + ", " + bias + ", " + list(c.stride()) + ", " + list(c.padding()) + ", "
                + list(c.dilation()) + ", " + c.groups() + ")");
        return c.bias() == null ? 1 : 2;
    }

    private static int emitBatchNorm(TorchScriptArchive archive, BatchNorm bn, int index) {
        int axis = intField(bn, "axis", 1);
        if (axis != 1) throw new RetouchException("cannot export a BatchNorm over axis " + axis + " (only channels, axis 1)");
        float eps = floatField(bn, "epsilon", Layers.BN_EPSILON);
        var p = bn.getDirectParameters();
        String prefix = "bn" + index + "_";
        String[][] parts = {{"gamma", "weight"}, {"beta", "bias"}, {"runningMean", "running_mean"}, {"runningVar", "running_var"}};
        for (int i = 0; i < parts.length; i++) {
            NDArray a = p.get(parts[i][0]).getArray();
            if (i < 2) archive.parameter(prefix + parts[i][1], a.toFloatArray(), a.getShape().getShape());
            else archive.buffer(prefix + parts[i][1], a.toFloatArray(), a.getShape().getShape());
        }
        archive.forwardLine("h = torch.batch_norm(h, self." + prefix + "weight, self." + prefix + "bias, self." + prefix + "running_mean, self."
                + prefix + "running_var, False, 0.1, " + new java.math.BigDecimal(Float.toString(eps)).toPlainString() + ", True)");
        return 4;
    }

    private static String list(long[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) s.append(i == 0 ? "" : ", ").append(v[i]);
        return s.append("]").toString();
    }

    private static int intField(Object o, String name, int def) {
        Object v = field(o, name);
        return v instanceof Number n ? n.intValue() : def;
    }

    private static float floatField(Object o, String name, float def) {
        Object v = field(o, name);
        return v instanceof Number n ? n.floatValue() : def;
    }

    /** DJL's BatchNorm keeps axis and epsilon private; read them so a non-default one is exported as it is. */
    private static Object field(Object o, String name) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                var f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
