package retouch.nn.restore;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import retouch.degrade.BlurEstimator;
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
    private final int tile;
    /** Set instead of loaded/denoiser for a TorchScript model. */
    private final TorchScriptRestorer external;
    /** Set instead of the denoiser for a U-Net (inpainting, GAN deblurring). */
    private final Inpainter inpainter;

    /**
     * System property overriding a model's self-ensemble: a U-Net's flips ({@link Inpainter#ensemble},
     * 1, 2 or 4) or a DnCNN/FFDNet-style network's flips and turns ({@link Denoiser#ensemble}, 1, 2,
     * 4 or 8); model.json hyper-parameter {@code ensemble}, 1 when absent.
     */
    public static final String ENSEMBLE_PROPERTY = "retouch.ensemble";

    /**
     * System property overriding whether a denoising model's output is refined by BM3D's Wiener
     * stage ({@link Denoiser#refine}) and, with {@code fusion}, then merged with it by the model's
     * {@link FusionHead}: {@code fusion}, {@code wiener} or {@code none}; model.json hyper-parameter
     * {@code refine}, {@code none} when absent. The plug-and-play prior of deblurring never refines.
     */
    public static final String REFINE_PROPERTY = "retouch.denoise.refine";

    /**
     * System property choosing how a deblurring model deblurs: {@code kernel-fit} (default: the
     * network's output names the blur, {@link BlurEstimator}, and plug-and-play deconvolution with
     * the shipped denoiser undoes it) or {@code network} (the network's output as it is).
     */
    public static final String DEBLUR_PROPERTY = "retouch.deblur.blind";
    /** Side of the window the blur is estimated on: the most textured part of the photo. */
    static final int ESTIMATION_WINDOW = 384;

    /** The blind deblurring result: the image, and the blur that was estimated (null when none was). */
    public record Deblurred(Image image, BlurEstimator.Estimate estimate, String how) {}

    /** The denoiser that deconvolves for a deblurring model (opened on first use); null until then or if missing. */
    private ModelRestorer prior;
    private boolean priorTried;
    private Runnable tileListener;
    /** The colour model RGB photos go to (task defaults: {@link ModelStore#COLOUR_DEFAULT_FOR_TASK}); opened on first use. */
    private String colourName;
    private volatile ModelRestorer colour;
    private boolean colourTried;

    private ModelRestorer(LoadedModel loaded, String name, int tile) {
        this.loaded = loaded;
        this.name = name;
        this.tile = tile;
        boolean unet = loaded.block() instanceof UNet;
        this.denoiser = unet ? null : new Denoiser(loaded.block(), loaded.meta(), loaded.manager(), tile, true)
                .ensemble(Integer.getInteger(ENSEMBLE_PROPERTY, loaded.meta().intParam("ensemble", 1)))
                .refine(!refineSetting(loaded.meta()).equals("none"))
                .fusion(refineSetting(loaded.meta()).equals("fusion"));
        this.inpainter = unet ? new Inpainter((UNet) loaded.block(), loaded.meta(), loaded.manager(), tile)
                .ensemble(Integer.getInteger(ENSEMBLE_PROPERTY, loaded.meta().intParam("ensemble", 1))) : null;
        this.external = null;
    }

    private ModelRestorer(TorchScriptRestorer external, String name) {
        this.loaded = null;
        this.denoiser = null;
        this.inpainter = null;
        this.name = name;
        this.tile = 0;
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
     * @param task for TorchScript models: denoise, deblur, jpeg, sr2, sr3 or sr4; {@code null} infers it
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

    /**
     * Opens the shipped model of {@code task} ({@link ModelStore#DEFAULT_FOR_TASK}); RGB photos go
     * to the task's colour model when one is shipped and installed
     * ({@link ModelStore#COLOUR_DEFAULT_FOR_TASK}), gray ones (and all when it is missing) to this one.
     */
    public static ModelRestorer openForTask(String task, int tile) {
        String key = task.toLowerCase(java.util.Locale.ROOT);
        String gray = ModelStore.DEFAULT_FOR_TASK.get(key);
        if (gray == null) throw new RetouchException("unknown task '" + task + "'; choose one of " + new java.util.TreeSet<>(ModelStore.DEFAULT_FOR_TASK.keySet()));
        ModelRestorer r = open(gray, tile);
        r.colourName = ModelStore.COLOUR_DEFAULT_FOR_TASK.get(key);
        return r;
    }

    /** The name of the model that restores {@code image} (the colour model's for RGB photos where one is routed to). */
    public String nameFor(Image image) {
        return forImage(image).name();
    }

    /** The model that restores {@code image}: the colour model for RGB photos when there is one, else this. */
    private ModelRestorer forImage(Image image) {
        if (image.channels() != 3 || colourName == null) return this;
        synchronized (this) {
            if (!colourTried) {
                colourTried = true;
                try {
                    colour = open(colourName, tile);
                    if (tileListener != null) colour.onTile(tileListener);
                } catch (RetouchException e) {
                    System.err.println("note: colour photos go to " + name + " (per opponent-colour plane): " + e.getMessage());
                }
            }
        }
        return colour == null ? this : colour;
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
        if (forImage(image) != this) return forImage(image).passes(image);
        if (external != null) return external.passes(image);
        if (inpainter != null) return inpainter.passes(image);
        if (task().equals("deblur") && deblurMode().equals("kernel-fit")) {
            // the window through the network, then the plug-and-play iterations over the whole photo
            int wh = Math.min(ESTIMATION_WINDOW, image.height()), ww = Math.min(ESTIMATION_WINDOW, image.width());
            return denoiser.passes(image.channels(), wh, ww) + (long) PnpDeblurrer.ITERATIONS * denoiser.passes(image.channels(), image.height(), image.width());
        }
        if (task().equals("denoise")) return denoiser.denoisePasses(image.channels(), image.height(), image.width());
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
        tileListener = listener;
        if (prior != null) prior.onTile(listener);
        if (colour != null) colour.onTile(listener);
    }

    /**
     * A denoising model's network alone, never refined ({@link Denoiser#refine}): the prior step of
     * plug-and-play deblurring, whose input is not a photo with white noise of the given level.
     */
    public Image denoiseWithNetwork(Image noisy, double sigma) {
        if (denoiser == null || !task().equals("denoise")) return apply(noisy, Params.ofSigma(sigma));
        return denoiser.denoiseWithNetwork(noisy, sigma).clip();
    }

    /** The model's task: denoise, deblur, jpeg, sr2, sr3, sr4, inpaint or deblur-gan. */
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
        if (forImage(degraded) != this) return forImage(degraded).apply(degraded, params);
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
        if (task.equals("jpeg")) return denoiser.apply(degraded, 0).clip(); // blind: trained on every quality
        return deblur(degraded, sigma).image();
    }

    /**
     * Blind deblurring with this deblurring model. By default in two stages: the network restores
     * the most textured {@value #ESTIMATION_WINDOW}-px window, the Gaussian or motion blur that
     * best maps its output back to the photo is fitted ({@link BlurEstimator}), and that blur is
     * undone over the whole photo by plug-and-play deconvolution ({@link PnpDeblurrer}) with the
     * shipped denoiser. The network alone leaves much of a known-family blur in place (Set12,
     * Gaussian σ 1.6: +2.11 dB against +3.45 dB); it falls back to the network's output when the
     * photo shows no measurable blur, is smaller than 64 px, no denoiser is installed, or
     * {@code -Dretouch.deblur.blind=network}.
     *
     * @param sigma noise level of the photo (0–255), NaN to estimate it
     */
    public Deblurred deblur(Image degraded, double sigma) {
        if (!task().equals("deblur") || loaded == null || inpainter != null) {
            throw new IllegalStateException(name + " is not a deblurring model");
        }
        // The network is told the noise level of the blurred photo, within what it was trained on.
        double noiseMax = loaded.meta().doubleParam("noise_max", 5);
        double noise = Double.isNaN(sigma) ? NoiseEstimator.estimate(degraded) : sigma;
        double level = Math.min(noiseMax, noise);
        if (deblurMode().equals("network") || degraded.height() < BlurEstimator.MIN_SIDE
                || degraded.width() < BlurEstimator.MIN_SIDE || prior() == null) {
            return new Deblurred(denoiser.apply(degraded, level).clip(), null, "network");
        }
        int[] at = BlurEstimator.texturedWindow(degraded, ESTIMATION_WINDOW);
        Image window = degraded.crop(at[0], at[1], Math.min(ESTIMATION_WINDOW, degraded.height()), Math.min(ESTIMATION_WINDOW, degraded.width()));
        BlurEstimator.Estimate estimate = BlurEstimator.fit(window, denoiser.apply(window, level).clip());
        if (!estimate.isBlurred()) {
            return new Deblurred(denoiser.apply(degraded, level).clip(), estimate, "network (no measurable blur)");
        }
        Image sharp = new PnpDeblurrer(prior, name).deblur(degraded, estimate.blur(), noise);
        return new Deblurred(sharp, estimate, "plug-and-play with " + prior.name() + " for the fitted " + estimate.blur().spec());
    }

    /**
     * {@value #REFINE_PROPERTY}, else model.json's {@code refine}: {@code none} (the network alone),
     * {@code wiener} (its output refined by BM3D's Wiener stage) or {@code fusion} (that, then the
     * model's {@link FusionHead} merges the two outputs; only for models that have one).
     */
    private static String refineSetting(ModelMeta meta) {
        String mode = System.getProperty(REFINE_PROPERTY, meta.stringParam("refine", "none"));
        if (!mode.equals("wiener") && !mode.equals("none") && !mode.equals("fusion")) {
            throw new RetouchException("-D" + REFINE_PROPERTY + " (or model.json's refine) must be fusion, wiener or none, not '" + mode + "'");
        }
        if (mode.equals("fusion") && meta.intParam("fusion_depth", 0) <= 0) {
            throw new RetouchException("refine=fusion needs a model with a fusion head (retouch train fusion); "
                    + (meta.name() == null ? "this model" : meta.name()) + " has none: use -D" + REFINE_PROPERTY + "=wiener");
        }
        return mode;
    }

    /** {@value #DEBLUR_PROPERTY}: kernel-fit (default) or network. */
    private static String deblurMode() {
        String mode = System.getProperty(DEBLUR_PROPERTY, "kernel-fit");
        if (!mode.equals("kernel-fit") && !mode.equals("network")) {
            throw new RetouchException("-D" + DEBLUR_PROPERTY + " must be kernel-fit or network, not '" + mode + "'");
        }
        return mode;
    }

    /** The shipped denoiser for the deconvolution stage, opened once; null (with a note) when it is not installed. */
    private synchronized ModelRestorer prior() {
        if (!priorTried) {
            priorTried = true;
            String denoiserName = ModelStore.DEFAULT_FOR_TASK.get("denoise");
            try {
                prior = open(denoiserName, tile);
                if (tileListener != null) prior.onTile(tileListener);
            } catch (RetouchException e) {
                System.err.println("note: " + name + " runs without kernel fitting (the network alone): " + e.getMessage());
            }
        }
        return prior;
    }

    @Override
    public void close() {
        if (external != null) {
            external.close();
            return;
        }
        if (denoiser != null) denoiser.close();
        if (prior != null) prior.close();
        if (colour != null) colour.close();
        loaded.close();
    }
}
