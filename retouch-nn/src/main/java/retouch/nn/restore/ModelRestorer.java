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

    /** How calls without settings of their own run (given at open; model.json fills what it leaves unset). */
    private final RestoreSettings settings;
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

    private ModelRestorer(LoadedModel loaded, String name, RestoreSettings settings) {
        this.loaded = loaded;
        this.name = name;
        this.settings = settings;
        this.tile = settings.tileOr(0);
        boolean unet = loaded.block() instanceof UNet;
        this.denoiser = unet ? null : new Denoiser(loaded.block(), loaded.meta(), loaded.manager(), tile, true);
        this.inpainter = unet ? new Inpainter((UNet) loaded.block(), loaded.meta(), loaded.manager(), tile) : null;
        this.external = null;
        // settings the model cannot take fail at open, not at the first image
        if (denoiser != null) denoiser.configured(settings, tile).close();
        if (inpainter != null) inpainter(settings);
    }

    private ModelRestorer(TorchScriptRestorer external, String name, RestoreSettings settings) {
        this.loaded = null;
        this.denoiser = null;
        this.inpainter = null;
        this.name = name;
        this.settings = settings;
        this.tile = settings.tileOr(0);
        this.external = external;
    }

    /** The denoiser run as {@code s} says (close it after the call; it shares this model's weights). */
    private Denoiser denoiser(RestoreSettings s) {
        return denoiser.configured(s, tile);
    }

    private Inpainter inpainter(RestoreSettings s) {
        int ensemble = s.ensemble() > 0 ? s.ensemble() : Math.max(1, loaded.meta().intParam("ensemble", 1));
        if (s.quality().equals("fast") && s.ensemble() == 0) ensemble = 1;
        return inpainter.configured(s.tileOr(tile), ensemble, s.inpaintScalesOr3());
    }

    /** The settings calls without their own run with. */
    public RestoreSettings settings() {
        return settings;
    }

    /**
     * Loads a restoration model by name or path.
     *
     * @throws RetouchException when it is missing, broken, or of an architecture restore cannot run
     */
    public static ModelRestorer open(String nameOrPath, int tile) {
        return open(nameOrPath, tile, null, 0);
    }

    /** {@link #open(String, RestoreSettings, String, int)} for any task and a Retouch model's own channels. */
    public static ModelRestorer open(String nameOrPath, RestoreSettings settings) {
        return open(nameOrPath, settings, null, 0);
    }

    /** {@link #open(String, RestoreSettings, String, int)} with default settings and tile side {@code tile}. */
    public static ModelRestorer open(String nameOrPath, int tile, String task, int channels) {
        return open(nameOrPath, RestoreSettings.defaults().withTile(tile), task, channels);
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
    public static ModelRestorer open(String nameOrPath, RestoreSettings settings, String task, int channels) {
        Engines.init();
        int tile = settings.tileOr(0);
        if (TorchScriptModel.isTorchScript(nameOrPath)) {
            TorchScriptModel ts = TorchScriptModel.load(Path.of(nameOrPath), channels);
            try {
                return new ModelRestorer(new TorchScriptRestorer(ts, task, tile), Path.of(nameOrPath).getFileName().toString(), settings);
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
        try {
            return new ModelRestorer(lm, n, settings);
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
    public static ModelRestorer openForTask(String task, int tile) {
        return openForTask(task, RestoreSettings.defaults().withTile(tile));
    }

    /** {@link #openForTask(String, int)} with settings for calls that give none. */
    public static ModelRestorer openForTask(String task, RestoreSettings settings) {
        String key = task.toLowerCase(java.util.Locale.ROOT);
        String gray = ModelStore.DEFAULT_FOR_TASK.get(key);
        if (gray == null) throw new RetouchException("unknown task '" + task + "'; choose one of " + new java.util.TreeSet<>(ModelStore.DEFAULT_FOR_TASK.keySet()));
        ModelRestorer r = open(gray, settings);
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
                    colour = open(colourName, settings);
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
        return passes(image, settings);
    }

    /** {@link #passes(Image)} for a call run with {@code s}. */
    public long passes(Image image, RestoreSettings s) {
        if (forImage(image) != this) return forImage(image).passes(image, s);
        if (external != null) return external.passes(image);
        if (inpainter != null) return inpainter(s).passes(image);
        try (Denoiser d = denoiser(s)) {
            if (task().equals("deblur") && s.deblurMode().equals("kernel-fit")) {
                // the window through the network, then the plug-and-play iterations over the whole photo
                int wh = Math.min(ESTIMATION_WINDOW, image.height()), ww = Math.min(ESTIMATION_WINDOW, image.width());
                return d.passes(image.channels(), wh, ww) + (long) PnpDeblurrer.ITERATIONS * d.passes(image.channels(), image.height(), image.width());
            }
            if (task().equals("denoise")) return d.denoisePasses(image.channels(), image.height(), image.width());
            int scale = Math.max(1, TaskDegradation.scaleOf(task()));
            return d.passes(image.channels(), image.height() * scale, image.width() * scale);
        }
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
        try (Denoiser d = denoiser(settings)) {
            return d.denoiseWithNetwork(noisy, sigma).clip();
        }
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
        return apply(degraded, params, settings);
    }

    /** {@link #apply(Image, Params)} run as {@code s} says (quality, refinement, ensemble, tile…). */
    public Image apply(Image degraded, Params params, RestoreSettings s) {
        if (forImage(degraded) != this) return forImage(degraded).apply(degraded, params, s);
        if (external != null) return external.restore(degraded); // one input: the image; σ does not apply
        if (inpainter != null) {
            Inpainter in = inpainter(s);
            return task().equals("inpaint") ? in.inpaint(degraded, params == null ? null : params.mask()) : in.restore(degraded);
        }
        double sigma = params == null ? Double.NaN : params.sigma();
        String task = task();
        try (Denoiser d = denoiser(s)) {
            if (task.equals("denoise")) {
                return d.denoise(degraded, sigma).clip();
            }
            int scale = TaskDegradation.scaleOf(task);
            if (scale > 0) {
                Image up = TaskDegradation.prepareInput(task, degraded, degraded.height() * scale, degraded.width() * scale);
                return d.apply(up, 0).clip();
            }
            if (task.equals("jpeg")) return d.apply(degraded, 0).clip(); // blind: trained on every quality
        }
        return deblur(degraded, sigma, s).image();
    }

    /**
     * Blind deblurring with this deblurring model. By default in two stages: the network restores
     * the most textured {@value #ESTIMATION_WINDOW}-px window, the Gaussian or motion blur that
     * best maps its output back to the photo is fitted ({@link BlurEstimator}), and that blur is
     * undone over the whole photo by plug-and-play deconvolution ({@link PnpDeblurrer}) with the
     * shipped denoiser. The network alone leaves much of a known-family blur in place (Set12,
     * Gaussian σ 1.6: +2.11 dB against +3.45 dB); it falls back to the network's output when the
     * photo shows no measurable blur, is smaller than 64 px, no denoiser is installed, or the
     * settings' deblur mode is {@code network}.
     *
     * @param sigma noise level of the photo (0–255), NaN to estimate it
     */
    public Deblurred deblur(Image degraded, double sigma) {
        return deblur(degraded, sigma, settings);
    }

    /** {@link #deblur(Image, double)} run as {@code s} says. */
    public Deblurred deblur(Image degraded, double sigma, RestoreSettings s) {
        if (!task().equals("deblur") || loaded == null || inpainter != null) {
            throw new IllegalStateException(name + " is not a deblurring model");
        }
        // The network is told the noise level of the blurred photo, within what it was trained on.
        double noiseMax = loaded.meta().doubleParam("noise_max", 5);
        double noise = Double.isNaN(sigma) ? NoiseEstimator.estimate(degraded) : sigma;
        double level = Math.min(noiseMax, noise);
        try (Denoiser d = denoiser(s)) {
            if (s.deblurMode().equals("network") || degraded.height() < BlurEstimator.MIN_SIDE
                    || degraded.width() < BlurEstimator.MIN_SIDE || prior() == null) {
                return new Deblurred(d.apply(degraded, level).clip(), null, "network");
            }
            int[] at = BlurEstimator.texturedWindow(degraded, ESTIMATION_WINDOW);
            Image window = degraded.crop(at[0], at[1], Math.min(ESTIMATION_WINDOW, degraded.height()), Math.min(ESTIMATION_WINDOW, degraded.width()));
            BlurEstimator.Estimate estimate = BlurEstimator.fit(window, d.apply(window, level).clip());
            if (!estimate.isBlurred()) {
                return new Deblurred(d.apply(degraded, level).clip(), estimate, "network (no measurable blur)");
            }
            return deconvolve(degraded, estimate, noise);
        }
    }

    private Deblurred deconvolve(Image degraded, BlurEstimator.Estimate estimate, double noise) {
        Image sharp = new PnpDeblurrer(prior, name).deblur(degraded, estimate.blur(), noise);
        return new Deblurred(sharp, estimate, "plug-and-play with " + prior.name() + " for the fitted " + estimate.blur().spec());
    }

    /** The shipped denoiser for the deconvolution stage, opened once; null (with a note) when it is not installed. */
    private synchronized ModelRestorer prior() {
        if (!priorTried) {
            priorTried = true;
            String denoiserName = ModelStore.DEFAULT_FOR_TASK.get("denoise");
            try {
                prior = open(denoiserName, RestoreSettings.defaults().withTile(tile));
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
