package retouch.nn.restore;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
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

    /** Denoises; {@code params.sigma()} NaN means estimate the noise level from the image. */
    @Override
    public Image apply(Image degraded, Params params) {
        return denoiser.denoise(degraded, params == null ? Double.NaN : params.sigma()).clip();
    }

    @Override
    public void close() {
        denoiser.close();
        loaded.close();
    }
}
