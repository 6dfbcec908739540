package retouch.nn.restore;

import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;
import retouch.RetouchException;
import retouch.baseline.ClassicalMethods;
import retouch.nn.Engines;
import retouch.nn.inpaint.UNet;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.ModelStore;
import retouch.nn.task.RestorationTask;
import retouch.nn.task.RestorationTasks;
import retouch.nn.torchscript.TorchScriptModel;
import retouch.nn.torchscript.TorchScriptRestorer;

/**
 * Opens {@link Restorer}s: a model by name or path (the implementation follows its architecture
 * and task), a task's shipped model with its colour route, a classical method, or any of these by
 * the names evaluation tables use.
 */
public final class Restorers {
    private Restorers() {}

    /** {@link #open(String, RestoreSettings)} with default settings and tile side {@code tile}. */
    public static Restorer open(String nameOrPath, int tile) {
        return open(nameOrPath, RestoreSettings.defaults().withTile(tile));
    }

    /** {@link #open(String, RestoreSettings, String, int)} with default settings and tile side {@code tile}. */
    public static Restorer open(String nameOrPath, int tile, String task, int channels) {
        return open(nameOrPath, RestoreSettings.defaults().withTile(tile), task, channels);
    }

    /** {@link #forTask(String, RestoreSettings)} with default settings and tile side {@code tile}. */
    public static Restorer forTask(String task, int tile) {
        return forTask(task, RestoreSettings.defaults().withTile(tile));
    }

    /** {@link #open(String, RestoreSettings, String, int)} for any task and a Retouch model's own channels. */
    public static Restorer open(String nameOrPath, RestoreSettings settings) {
        return open(nameOrPath, settings, null, 0);
    }

    /**
     * Loads a restoration model by name or path; a TorchScript file ({@code .pt}) is probed for
     * what it cannot say itself.
     *
     * @param task for TorchScript models: one of {@link TorchScriptRestorer#TASKS}; {@code null}
     *     infers it (recorded task, else the probed scale). A Retouch model must match it when given.
     * @param channels for TorchScript models: 1 or 3; 0 probes. Must be 0 for Retouch models.
     * @throws RetouchException when it is missing, broken, or of an architecture restore cannot run
     */
    public static Restorer open(String nameOrPath, RestoreSettings settings, String task, int channels) {
        Engines.init();
        int tile = settings.tileOr(0);
        if (TorchScriptModel.isTorchScript(nameOrPath)) {
            TorchScriptModel ts = TorchScriptModel.load(Path.of(nameOrPath), channels);
            try {
                return new TorchScriptRestorer(ts, task, tile);
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
        boolean unet = UNet.ARCHITECTURE.equals(meta.architecture());
        if (!RestoreNets.ARCHITECTURES.contains(meta.architecture()) && !unet) {
            throw new RetouchException("model " + location + " is a '" + meta.architecture() + "' model, but restore needs one of "
                    + String.join(", ", RestoreNets.ARCHITECTURES) + ", " + UNet.ARCHITECTURE + "; pick a restoration model from 'retouch models'");
        }
        LoadedModel lm = ModelFile.load(location, meta.architecture());
        String name = meta.name() != null ? meta.name() : location.getFileName().toString();
        try {
            // the task says how its models run (a plain network, blind deblurring, a U-Net inpainter)
            RestorationTask t = RestorationTasks.find(own);
            return (t == null ? (RestorerFactory) NetworkRestorer::new : t.restorer()).open(lm, name, settings);
        } catch (RuntimeException e) {
            lm.close();
            throw e;
        }
    }

    /**
     * Opens the shipped model of {@code task} ({@link ModelStore#DEFAULT_FOR_TASK}); RGB photos go
     * to the task's colour model when one is shipped and installed
     * ({@link ModelStore#COLOUR_DEFAULT_FOR_TASK}), gray ones (and all when it is missing) to this one.
     */
    public static Restorer forTask(String task, RestoreSettings settings) {
        String key = task.toLowerCase(Locale.ROOT);
        String gray = ModelStore.DEFAULT_FOR_TASK.get(key);
        if (gray == null) throw new RetouchException("unknown task '" + task + "'; choose one of " + new TreeSet<>(ModelStore.DEFAULT_FOR_TASK.keySet()));
        Restorer r = open(gray, settings);
        String colour = ModelStore.COLOUR_DEFAULT_FOR_TASK.get(key);
        return colour == null ? r : new ColourRoutedRestorer(r, colour);
    }

    /** Whether {@code name} is a classical method ({@link ClassicalMethods#NAMES}). */
    public static boolean isClassical(String name) {
        return ClassicalMethods.NAMES.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * A restorer by the name an evaluation table uses: a classical method, {@code pnp[:DENOISER]}
     * (plug-and-play deblurring told the blur, prior: the one named, else the shipped denoiser with
     * its colour route), or a
     * model by name or path.
     *
     * @param task passed to TorchScript files (e.g. srK, so a size-keeping model gets the bicubic upscale); may be null
     */
    public static Restorer byName(String name, RestoreSettings settings, String task) {
        if (isClassical(name)) return ClassicalRestorer.byName(name);
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("pnp") || lower.startsWith("pnp:")) {
            // the prior: the one named, else the shipped denoiser with its colour route
            Restorer prior = lower.equals("pnp") ? forTask("denoise", settings) : byName(name.substring(4), settings, null);
            return PnpDeblurrer.owning(prior, name);
        }
        return TorchScriptModel.isTorchScript(name) ? open(name, settings, task, 0) : open(name, settings);
    }
}
