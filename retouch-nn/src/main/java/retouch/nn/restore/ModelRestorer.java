package retouch.nn.restore;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import retouch.degrade.NoiseEstimator;
import retouch.RetouchException;
import retouch.nn.inpaint.Inpainter;
import retouch.nn.inpaint.UNet;
import retouch.baseline.ClassicalMethod;
import retouch.image.Image;
import retouch.nn.Engines;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.ModelStore;
import retouch.nn.torchscript.TorchScriptModel;
import retouch.nn.torchscript.TorchScriptRestorer;

/**
 * A trained restoration model behind the same interface as the classical methods, so the CLI,
 * evaluation tables and the demo treat both alike: a Retouch model file, or an external
 * TorchScript file ({@code .pt}, run by {@link TorchScriptRestorer} through the same tiling).
 * Close it to free native memory.
 */
public final class ModelRestorer implements ClassicalMethod, AutoCloseable {
    private final LoadedModel loaded;
    private final Denoiser denoiser;
    private final String name;
    /** Set instead of loaded/denoiser for a TorchScript model. */
    private final TorchScriptRestorer external;
    /** Set instead of the denoiser for a U-Net (inpainting, GAN deblurring). */
    private final Inpainter inpainter;

    /**
     * System property overriding a U-Net model's flip self-ensemble ({@link Inpainter#ensemble};
     * model.json hyper-parameter {@code ensemble}, 1 when absent).
     */
    public static final String ENSEMBLE_PROPERTY = "retouch.ensemble";

    private ModelRestorer(LoadedModel loaded, String name, int tile) {
        this.loaded = loaded;
        this.name = name;
        boolean unet = loaded.block() instanceof UNet;
        this.denoiser = unet ? null : new Denoiser(loaded.block(), loaded.meta(), loaded.manager(), tile, true);
        this.inpainter = unet ? new Inpainter((UNet) loaded.block(), loaded.meta(), loaded.manager(), tile)
                .ensemble(Integer.getInteger(ENSEMBLE_PROPERTY, loaded.meta().intParam("ensemble", 1))) : null;
        this.external = null;
    }

    private ModelRestorer(TorchScriptRestorer external, String name) {
        this.loaded = null;
        this.denoiser = null;
        this.inpainter = null;
        this.name = name;
        this.external = external;
    }

    /**
     * Loads a restoration model by name or path.
     *
     * @throws RetouchException when it is missing, broken, or of an architecture restore cannot run
     */
    public static ModelRestorer open(String nameOrPath, int tile) {
        return open(nameOrPath, tile, null, 0);
    }

    /**
     * Loads a restoration model by name or path; a TorchScript file ({@code .pt}) is probed for
     * what it cannot say itself.
     *
     * @param task for TorchScript models: denoise, deblur, sr2, sr3 or sr4; {@code null} infers it
     *     (recorded task, else the probed scale). A Retouch model must match it when given.
     * @param channels for TorchScript models: 1 or 3; 0 probes. Must be 0 for Retouch models.
     * @throws RetouchException when it is missing, broken, or of an architecture restore cannot run
     */
    public static ModelRestorer open(String nameOrPath, int tile, String task, int channels) {
        Engines.init();
        if (TorchScriptModel.isTorchScript(nameOrPath)) {
            TorchScriptModel ts = TorchScriptModel.load(Path.of(nameOrPath), channels);
            try {
                return new ModelRestorer(new TorchScriptRestorer(ts, task, tile), Path.of(nameOrPath).getFileName().toString());
            } catch (RuntimeException e) {
                ts.close();
                throw e;
            }
        }
        Path location = ModelStore.resolve(nameOrPath);
        ModelMeta meta = ModelFile.readMeta(location);
        if (channels != 0) {
            throw new RetouchException("--channels applies to TorchScript models only; model " + location + " reads " + meta.inputChannels() + " channel(s)");
        }
        String own = meta.tasks() == null || meta.tasks().isEmpty() ? "denoise" : meta.tasks().get(0);
        if (task != null && !task.equalsIgnoreCase(own)) {
            throw new RetouchException("model " + location + " is trained for " + own + ", not " + task + "; drop --task or pick a " + task + " model");
        }
        if (!RestoreNets.ARCHITECTURES.contains(meta.architecture()) && !UNet.ARCHITECTURE.equals(meta.architecture())) {
            throw new RetouchException("model " + location + " is a '" + meta.architecture() + "' model, but restore needs one of "
                    + String.join(", ", RestoreNets.ARCHITECTURES) + ", " + UNet.ARCHITECTURE + "; pick a restoration model from 'retouch models'");
        }
        LoadedModel lm = ModelFile.load(location, meta.architecture());
        String n = meta.name() != null ? meta.name() : location.getFileName().toString();
        return new ModelRestorer(lm, n, tile);
    }

    /** The model's meta; for a TorchScript model a summary (architecture "torchscript", channels, task). */
    public ModelMeta meta() {
        if (external != null) {
            int c = external.model().channels();
            return ModelMeta.builder("torchscript").name(name).channels(c, c).tasks(external.task()).build();
        }
        return loaded.meta();
    }

    /** Whether this is an external TorchScript model. */
    public boolean isTorchScript() {
        return external != null;
    }

    @Override
    public String name() {
        return name;
    }

    /** Network passes (tiles) needed to restore {@code image}, for a progress bar. */
    public long passes(Image image) {
        if (external != null) return external.passes(image);
        if (inpainter != null) return inpainter.passes(image);
        int scale = Math.max(1, TaskDegradation.scaleOf(task()));
        return denoiser.passes(image.channels(), image.height() * scale, image.width() * scale);
    }

    /** Called after each tile. */
    public void onTile(Runnable listener) {
        if (external != null) {
            external.onTile(listener);
        } else if (inpainter != null) {
            inpainter.onTile(listener);
        } else {
            denoiser.onTile(listener);
        }
    }

    /** The model's task: denoise, deblur, sr2, sr3, sr4, inpaint or deblur-gan. */
    public String task() {
        if (external != null) return external.task();
        List<String> tasks = loaded.meta().tasks();
        return tasks == null || tasks.isEmpty() ? "denoise" : tasks.get(0);
    }

    /**
     * Restores {@code degraded} by the model's task. {@code params.sigma()} is the noise level
     * (0–255; NaN: estimated from the image); super-resolution models return the image upscaled
     * by their own factor.
     */
    @Override
    public Image apply(Image degraded, Params params) {
        if (external != null) return external.restore(degraded); // one input: the image; σ does not apply
        if (inpainter != null) {
            return task().equals("inpaint") ? inpainter.inpaint(degraded, params == null ? null : params.mask()) : inpainter.restore(degraded);
        }
        double sigma = params == null ? Double.NaN : params.sigma();
        String task = task();
        if (task.equals("denoise")) {
            return denoiser.denoise(degraded, sigma).clip();
        }
        int scale = TaskDegradation.scaleOf(task);
        if (scale > 0) {
            Image up = TaskDegradation.prepareInput(task, degraded, degraded.height() * scale, degraded.width() * scale);
            return denoiser.apply(up, 0).clip();
        }
        // Deblurring: the network is told the noise level of the blurred photo, within what it was trained on.
        double noiseMax = loaded.meta().doubleParam("noise_max", 5);
        double level = Double.isNaN(sigma) ? Math.min(noiseMax, NoiseEstimator.estimate(degraded)) : sigma;
        return denoiser.apply(degraded, level).clip();
    }

    @Override
    public void close() {
        if (external != null) {
            external.close();
            return;
        }
        if (denoiser != null) denoiser.close();
        loaded.close();
    }
}
