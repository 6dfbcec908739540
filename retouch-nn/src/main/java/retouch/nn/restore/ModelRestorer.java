package retouch.nn.restore;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import retouch.degrade.NoiseEstimator;
import retouch.RetouchException;
import retouch.baseline.ClassicalMethod;
import retouch.image.Image;
import retouch.nn.Engines;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.ModelStore;

/**
 * A trained restoration model behind the same interface as the classical methods, so the CLI,
 * evaluation tables and the demo treat both alike. Close it to free native memory.
 */
public final class ModelRestorer implements ClassicalMethod, AutoCloseable {
    private final LoadedModel loaded;
    private final Denoiser denoiser;
    private final String name;

    private ModelRestorer(LoadedModel loaded, String name, int tile) {
        this.loaded = loaded;
        this.name = name;
        this.denoiser = new Denoiser(loaded.block(), loaded.meta(), loaded.manager(), tile, true);
    }

    /**
     * Loads a restoration model by name or path.
     *
     * @throws RetouchException when it is missing, broken, or of an architecture restore cannot run
     */
    public static ModelRestorer open(String nameOrPath, int tile) {
        Engines.init();
        Path location = ModelStore.resolve(nameOrPath);
        ModelMeta meta = ModelFile.readMeta(location);
        if (!RestoreNets.ARCHITECTURES.contains(meta.architecture())) {
            throw new RetouchException("model " + location + " is a '" + meta.architecture() + "' model, but restore needs one of "
                    + String.join(", ", RestoreNets.ARCHITECTURES) + "; pick a restoration model from 'retouch models'");
        }
        LoadedModel lm = ModelFile.load(location, meta.architecture());
        String n = meta.name() != null ? meta.name() : location.getFileName().toString();
        return new ModelRestorer(lm, n, tile);
    }

    public ModelMeta meta() {
        return loaded.meta();
    }

    @Override
    public String name() {
        return name;
    }

    /** Network passes (tiles) needed to restore {@code image}, for a progress bar. */
    public long passes(Image image) {
        int scale = Math.max(1, TaskDegradation.scaleOf(task()));
        return denoiser.passes(image.channels(), image.height() * scale, image.width() * scale);
    }

    /** Called after each tile. */
    public void onTile(Runnable listener) {
        denoiser.onTile(listener);
    }

    /** The model's task: denoise, deblur, sr2, sr3 or sr4. */
    public String task() {
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
        denoiser.close();
        loaded.close();
    }
}
