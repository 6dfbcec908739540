package retouch.api;

import retouch.restore.RestoreParams;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.nn.restore.Restoration;
import retouch.nn.restore.Restorer;
import retouch.nn.restore.Restorers;
import retouch.nn.restore.RestoreSettings;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.ModelStore;

/**
 * The Java front door to Retouch's trained restoration models: load a model once, restore many
 * images, close it.
 *
 * <pre>{@code
 * try (Retouch r = Retouch.load("denoise-gray")) {
 *     BufferedImage clean = r.restore(noisy);                 // noise level estimated from the image
 *     BufferedImage cleaner = r.restore(noisy, 25);           // or given, on the 0-255 scale
 * }
 * try (Retouch r = Retouch.forTask("sr4")) {                  // whichever installed model does the task
 *     Image big = r.restore(small);                           // 4x larger
 * }
 * }</pre>
 *
 * <p>A model is a name from {@code retouch models} (see {@link ModelStore}) or a model folder /
 * {@code .zip}. What {@link #restore} does follows the model's task: {@code denoise} (sigma given
 * or estimated), {@code deblur}, {@code sr2}/{@code sr3}/{@code sr4} (the output is that many
 * times larger). Gray models restore RGB images channel by channel. Large images are processed in
 * overlapping tiles ({@link Options#tile()}), so memory depends on the tile, not on the image.
 *
 * <p><b>Threads.</b> One instance may be shared by any number of threads: every call works in its
 * own native memory scope (a child {@code NDManager} per tile) over read-only weights. On a CPU,
 * PyTorch already uses several cores per call, so concurrency adds little throughput; bound it
 * (e.g. a small pool) rather than running many calls at once.
 *
 * <p><b>Closing</b> frees the weights' native memory. It waits for calls in progress to finish;
 * calls made after it fail with {@link IllegalStateException}. Closing twice is harmless.
 */
public final class Retouch implements AutoCloseable {

    /** Tasks a restoration model can have, as written in its model.json. */
    public static final List<String> TASKS = retouch.nn.task.RestorationTasks.ids();

    /**
     * How a model is loaded and run.
     *
     * @param task the task the caller expects (e.g. "denoise"); loading fails when the model does
     *     something else. {@code null}: whatever the model does
     * @param sigma default noise level on the 0-255 scale for {@link #restore(Image)};
     *     {@code NaN} estimates it from each image ("auto")
     * @param tile tile side in pixels (32 or more); memory grows with it, not with the image
     * @param settings quality, refinement, self-ensemble, deblurring mode, inpainting scales and
     *     colour route for calls that give none ({@link RestoreSettings}; its tile is replaced by {@code tile})
     */
    public record Options(String task, double sigma, int tile, RestoreSettings settings) {
        /** Default tile side. */
        public static final int DEFAULT_TILE = RestoreSettings.DEFAULT_TILE;

        /** Options with the model's own settings. */
        public Options(String task, double sigma, int tile) {
            this(task, sigma, tile, RestoreSettings.defaults());
        }

        /** Checks the values. */
        public Options {
            if (task != null) {
                retouch.nn.task.RestorationTask known = retouch.nn.task.RestorationTasks.find(task);
                if (known == null) {
                    throw new RetouchException("unknown restoration task '" + task.trim() + "'; use one of " + String.join(", ", TASKS));
                }
                task = known.id();
            }
            checkSigma(sigma);
            if (tile < 32) throw new RetouchException("tile must be at least 32 pixels, not " + tile);
            settings = (settings == null ? RestoreSettings.defaults() : settings).withTile(tile);
        }

        /** Any task, sigma estimated from each image, tiles of {@value #DEFAULT_TILE}. */
        public static Options defaults() {
            return new Options(null, Double.NaN, DEFAULT_TILE);
        }

        /** These options expecting {@code t} ({@code null}: any task). */
        public Options withTask(String t) {
            return new Options(t, sigma, tile, settings);
        }

        /** These options with a fixed noise level (0-255). */
        public Options withSigma(double s) {
            return new Options(task, s, tile, settings);
        }

        /** These options estimating the noise level from each image. */
        public Options withAutoSigma() {
            return new Options(task, Double.NaN, tile, settings);
        }

        /** These options with another tile side. */
        public Options withTile(int t) {
            return new Options(task, sigma, t, settings);
        }

        /** These options with other restore settings (their tile, when set, becomes the tile side). */
        public Options withSettings(RestoreSettings s) {
            RestoreSettings given = s == null ? RestoreSettings.defaults() : s;
            return new Options(task, sigma, given.tile() > 0 ? given.tile() : tile, given);
        }

        /** {@code fast} (one network pass), {@code max} (the model's refinement stages) or {@code auto} (model.json). */
        public Options withQuality(String quality) {
            return withSettings(settings.withQuality(quality));
        }
    }

    /**
     * What blind deblurring did.
     *
     * @param image the deblurred image
     * @param estimate the blur fitted to the photo, or {@code null} when none was (the network's output was kept)
     * @param how how the result was made (e.g. "plug-and-play with denoise-gray for the fitted blur:gauss:1.6")
     */
    public record Deblurred(Image image, retouch.degrade.BlurEstimator.Estimate estimate, String how) {}

    private final Restorer restorer;
    private final Options options;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private Retouch(Restorer restorer, Options options) {
        this.restorer = restorer;
        this.options = options;
    }

    /**
     * Loads a restoration model with {@link Options#defaults()}.
     *
     * @param nameOrPath a model name from the model store, or a model folder / .zip
     * @throws RetouchException when the model is missing, broken or not a restoration model
     */
    public static Retouch load(String nameOrPath) {
        return load(nameOrPath, Options.defaults());
    }

    /**
     * Loads a restoration model.
     *
     * @throws RetouchException when the model is missing, broken, not a restoration model, or not
     *     for {@code options.task()}
     */
    public static Retouch load(String nameOrPath, Options options) {
        Options o = options == null ? Options.defaults() : options;
        Restorer r = Restorers.open(nameOrPath, o.settings());
        if (o.task() != null && !o.task().equals(r.task())) {
            String t = r.task();
            r.close();
            throw new RetouchException("model '" + nameOrPath + "' does " + t + ", not " + o.task()
                    + "; pick a " + o.task() + " model from 'retouch models'" + suggestion(o.task()));
        }
        return new Retouch(r, o);
    }

    /** Loads a restoration model from a folder or .zip. */
    public static Retouch load(Path location, Options options) {
        return load(location.toString(), options);
    }

    /**
     * Loads the model that does {@code task}: the shipped one ({@link #modelFor}), which sends RGB
     * photos to the task's colour model when one is installed (denoise: denoise-color), else the
     * first model on the model-store search path that does it.
     *
     * @throws RetouchException when no installed model does it
     */
    public static Retouch forTask(String task) {
        return forTask(task, Options.defaults());
    }

    /** {@link #forTask(String)} with options (their task is replaced by {@code task}). */
    public static Retouch forTask(String task, Options options) {
        Options o = (options == null ? Options.defaults() : options).withTask(task);
        String name = modelFor(o.task());
        if (name == null) {
            throw new RetouchException("no installed model does " + o.task() + "; 'retouch models' lists what is installed"
                    + " (train one with 'retouch train', or add a model folder with -Dretouch.models / RETOUCH_MODELS)");
        }
        // the task's shipped model: RGB photos go to its colour model where one is installed (denoise-color)
        if (name.equals(ModelStore.DEFAULT_FOR_TASK.get(o.task()))) return new Retouch(Restorers.forTask(o.task(), o.settings()), o);
        return load(name, o);
    }

    /**
     * The task's shipped photo model ({@link ModelStore#DEFAULT_FOR_TASK}) if installed, else the
     * first model on the search path whose main task is {@code task}, or {@code null}. (The store
     * also holds inpainters for 28-px Fashion-MNIST and 64-px faces, which must not be picked for
     * a photo because their names sort first.)
     */
    public static String modelFor(String task) {
        String preferred = ModelStore.DEFAULT_FOR_TASK.get(task);
        List<ModelStore.Entry> all = ModelStore.list();
        for (ModelStore.Entry e : all) {
            if (e.problem() == null && e.name().equals(preferred) && !e.tasks().isEmpty() && e.tasks().get(0).equals(task)) return e.name();
        }
        for (ModelStore.Entry e : all) {
            if (e.problem() == null && !e.tasks().isEmpty() && e.tasks().get(0).equals(task)) return e.name();
        }
        return null;
    }

    private static String suggestion(String task) {
        String m = modelFor(task);
        return m == null ? "" : " (e.g. " + m + ")";
    }

    /** The model's name. */
    public String name() {
        return restorer.name();
    }

    /**
     * The name of the model that restores {@code image}: {@link #name()}, or the task's colour
     * model for an RGB photo when {@link #forTask} routes it there (denoise: denoise-color).
     */
    public String nameFor(Image image) {
        return restorer.nameFor(image);
    }

    /** The model's task: denoise, deblur, jpeg, sr2, sr3, sr4, inpaint or deblur-gan. */
    public String task() {
        return restorer.task();
    }

    /** The model's model.json (architecture, training, figures). */
    public ModelMeta meta() {
        return restorer.meta();
    }

    /** The options it was loaded with. */
    public Options options() {
        return options;
    }

    /**
     * Restores an image with the default noise level of {@link #options()}.
     *
     * @param degraded gray or RGB, values in [0, 1]
     * @return values in [0, 1], the input's channels; super-resolution models scale it up
     */
    public Image restore(Image degraded) {
        return restore(degraded, options.sigma());
    }

    /**
     * Restores an image.
     *
     * @param sigma noise level on the 0-255 scale (denoising; the condition for deblurring), or
     *     {@code NaN} to estimate it from the image
     */
    public Image restore(Image degraded, double sigma) {
        return restore(degraded, sigma, options.settings());
    }

    /**
     * Restores an image with settings of this call's own (e.g. {@code quality=max} for one request).
     *
     * @param settings {@code null}: the options' settings
     */
    public Image restore(Image degraded, double sigma, RestoreSettings settings) {
        checkInput(degraded, sigma);
        return whileOpen(() -> restorer.restore(degraded, RestoreParams.ofSigma(sigma), withTileOf(settings)).image());
    }

    /**
     * Restores an image with every parameter a restorer takes, e.g. {@code
     * RestoreParams.defaults().withJpegQuality(30)} for JPEG repair of a photo whose quality is known
     * (without it the quality is estimated from the pixels).
     *
     * @param settings {@code null}: the options' settings
     */
    public Image restore(Image degraded, RestoreParams params, RestoreSettings settings) {
        checkInput(degraded, params.sigma());
        return whileOpen(() -> restorer.restore(degraded, params, withTileOf(settings)).image());
    }

    /**
     * Deblurs an image whose blur is known, by plug-and-play with this model as the prior
     * ({@link retouch.nn.restore.PnpDeblurrer}): the model must be a Retouch denoiser (task
     * "denoise"), which is told a falling noise level at each of 8 iterations. Sharper than blind
     * deblurring when the blur is right (figures in docs/MODELS.md, deblurring).
     *
     * @param blur the blur: {@code new GaussianBlur(σ)}, a {@code MotionBlur}, or a parsed spec
     *     such as {@code DegradationSpec.parse("blur:motion:15:30")}
     * @param sigma noise level of {@code blurred} on the 0-255 scale, or {@code NaN} to estimate it
     */
    public Image deblur(Image blurred, retouch.degrade.Degradation blur, double sigma) {
        if (blurred == null || blur == null) throw new IllegalArgumentException("image and blur are required");
        checkSigma(sigma);
        return whileOpen(() -> {
            if (!restorer.takesNoiseLevel() || !restorer.task().equals("denoise")) {
                throw new RetouchException("deblurring a known blur needs a Retouch denoising model as its prior (it is told each noise level); '"
                        + name() + "' is " + (!restorer.takesNoiseLevel() ? "a TorchScript model" : "a " + restorer.task() + " model")
                        + "; load a denoising model" + suggestion("denoise"));
            }
            return new retouch.nn.restore.PnpDeblurrer(restorer, "plug-and-play deblurring, prior " + name())
                    .apply(blurred, RestoreParams.ofSigma(sigma).withBlur(blur));
        });
    }

    /**
     * Blind deblurring with a deblurring model (task "deblur"), reporting what it did: the
     * network's output names the blur (Gaussian or motion, fitted by
     * {@link retouch.degrade.BlurEstimator}) and plug-and-play with the shipped denoiser undoes it
     * ({@link retouch.nn.restore.BlindDeblurRestorer}). {@link #restore} does the same and returns the image only.
     *
     * @param sigma noise level of {@code blurred} on the 0-255 scale, or {@code NaN} to estimate it
     */
    public Deblurred deblurBlind(Image blurred, double sigma) {
        return deblurBlind(blurred, sigma, options.settings());
    }

    /** {@link #deblurBlind(Image, double)} with settings of this call's own ({@code null}: the options'). */
    public Deblurred deblurBlind(Image blurred, double sigma, RestoreSettings settings) {
        checkInput(blurred, sigma);
        return whileOpen(() -> {
            if (!restorer.takesNoiseLevel() || !restorer.task().equals("deblur")) {
                throw new RetouchException("blind deblurring needs a Retouch deblurring model; '" + name() + "' is "
                        + (!restorer.takesNoiseLevel() ? "a TorchScript model" : "a " + restorer.task() + " model") + suggestion("deblur"));
            }
            Restoration r = restorer.restore(blurred, RestoreParams.ofSigma(sigma), withTileOf(settings));
            return new Deblurred(r.image(), r.blur(), r.how());
        });
    }

    /**
     * Fills the holes of an image with an inpainting model (task "inpaint"); every pixel outside the
     * hole is returned unchanged.
     *
     * @param mask gray, white (≥ 0.5) = missing; another size of the same shape is resized
     *     (nearest) to the image, another shape (e.g. the photo turned by its EXIF orientation) is
     *     refused. A mask without holes returns the image as it is; one that is all hole is refused.
     */
    public Image inpaint(Image image, Image mask) {
        return inpaint(image, mask, options.settings());
    }

    /** {@link #inpaint(Image, Image)} with settings of this call's own ({@code null}: the options'). */
    public Image inpaint(Image image, Image mask, RestoreSettings settings) {
        if (image == null || mask == null) throw new IllegalArgumentException("image and mask are required");
        return whileOpen(() -> {
            if (!restorer.task().equals("inpaint")) {
                throw new RetouchException("model '" + name() + "' does " + restorer.task() + ", not inpainting; load an inpainting model such as inpaint-gray");
            }
            return restorer.restore(image, RestoreParams.defaults().withMask(mask.toGray()), withTileOf(settings)).image();
        });
    }

    /**
     * Restores a Java2D image with the default noise level. Gray images stay gray, others come
     * back as RGB (alpha is flattened onto white); 16-bit gray or RGB input gives 16-bit output,
     * anything else 8-bit.
     */
    public BufferedImage restore(BufferedImage degraded) {
        return restore(degraded, options.sigma());
    }

    /** {@link #restore(BufferedImage)} with a given noise level (0-255; {@code NaN}: estimated). */
    public BufferedImage restore(BufferedImage degraded, double sigma) {
        if (degraded == null) throw new IllegalArgumentException("image is null");
        Image out = restore(ImageFiles.fromBufferedImage(degraded), sigma);
        int bits = degraded.getColorModel().getComponentSize(0) > 8 ? 16 : 8;
        return ImageFiles.toBufferedImage(out, bits);
    }

    /**
     * Reads {@code in} (any format {@link ImageFiles} reads, turned upright by its EXIF
     * orientation), restores it and writes {@code out} atomically in the format its name gives
     * (.png, .jpg, .tif, .bmp) and the input's bit depth. Problems are {@link RetouchException}s
     * that name {@code in} (e.g. an image too small to estimate its noise: give a sigma).
     */
    public void restore(Path in, Path out) {
        if (!ImageFiles.isWritable(out)) {
            throw new RetouchException(out + ": unknown output format; name the file .png, .jpg, .tif or .bmp");
        }
        var loaded = ImageFiles.readWithAlpha(in, retouch.image.ReadOptions.defaults());
        Image im = loaded.hasAlpha() ? ImageFiles.read(in) : loaded.image();
        Image restored;
        try {
            restored = restore(im);
        } catch (RetouchException e) {
            if (String.valueOf(e.getMessage()).startsWith(in.toString())) throw e;
            throw new RetouchException(in + ": " + e.getMessage(), e);
        }
        ImageFiles.write(restored, out, loaded.info().bitDepth() == 16 ? 16 : 8);
    }

    /**
     * Runs a call while the model is open: calls share the read lock and {@link #close} takes the
     * write lock, so closing waits for calls in progress and later calls fail.
     */
    private <T> T whileOpen(java.util.function.Supplier<T> call) {
        lifecycle.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("Retouch model '" + name() + "' is closed");
            return call.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** A call's settings, the options' tile side when they name none. */
    private RestoreSettings withTileOf(RestoreSettings s) {
        if (s == null) return options.settings();
        return s.tile() > 0 ? s : s.withTile(options.tile());
    }

    private static void checkInput(Image image, double sigma) {
        if (image == null) throw new IllegalArgumentException("image is null");
        checkSigma(sigma);
    }

    private static void checkSigma(double sigma) {
        if (!Double.isNaN(sigma) && (sigma < 0 || sigma > 255 || Double.isInfinite(sigma))) {
            throw new RetouchException("sigma must be from 0 to 255 (noise level on the 8-bit scale) or NaN for auto, not " + sigma);
        }
    }

    /** Frees the model's native memory after calls in progress finish. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            restorer.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "Retouch[" + name() + ", " + task() + "]";
    }
}
