package retouch.nn.restore;

import retouch.restore.RestoreParams;
import retouch.image.Image;
import retouch.nn.store.ModelMeta;

/**
 * One way of restoring an image — a trained network ({@link NetworkRestorer}), blind deblurring
 * ({@link BlindDeblurRestorer}), a U-Net inpainter ({@link retouch.nn.inpaint.UNetRestorer}), an
 * external TorchScript file ({@link retouch.nn.torchscript.TorchScriptRestorer}), plug-and-play
 * deblurring ({@link PnpDeblurrer}) or a classical method ({@link ClassicalRestorer}) — behind one
 * interface, so the CLI, the Java API, the server, Spark and evaluation treat them alike. Open one
 * with {@link Restorers}; close it to free native memory.
 */
public interface Restorer extends AutoCloseable {

    /** Name for tables and messages: the model's name, or the classical method's. */
    String name();

    /** The task it does: an id of {@link retouch.nn.task.RestorationTasks}. */
    String task();

    /** The name of what restores {@code image} (a colour-routing restorer names its colour model for RGB photos). */
    default String nameFor(Image image) {
        return name();
    }

    /** The settings calls without their own run with. */
    default RestoreSettings settings() {
        return RestoreSettings.defaults();
    }

    /**
     * Restores {@code degraded} (values in [0,1]) as {@code settings} say; super-resolution returns
     * the image upscaled by the task's factor. {@code params.sigma()} is the noise level on the
     * 0–255 scale, NaN to estimate it.
     */
    Restoration restore(Image degraded, RestoreParams params, RestoreSettings settings);

    /** {@link #restore} with {@link #settings()}, the image alone. */
    default Image apply(Image degraded, RestoreParams params) {
        return restore(degraded, params, settings()).image();
    }

    /**
     * This restorer as the prior of plug-and-play deblurring: denoise {@code x}, told its noise
     * level. Learned denoisers run their network alone, without refinement stages, because
     * {@code x} is not a photo with white noise of that level.
     */
    default Image denoiseAsPrior(Image x, double level255) {
        return apply(x, RestoreParams.ofSigma(level255));
    }

    /** Work units (network tiles) a call on {@code image} takes, for a progress bar; 1 for one-step methods. */
    default long passes(Image image, RestoreSettings settings) {
        return 1;
    }

    /** {@link #passes(Image, RestoreSettings)} with {@link #settings()}. */
    default long passes(Image image) {
        return passes(image, settings());
    }

    /** Called after each unit counted by {@link #passes}. */
    default void onTile(Runnable listener) {
    }

    /** Whether a noise level given by the caller reaches the restorer (a TorchScript model takes the image alone). */
    default boolean takesNoiseLevel() {
        return true;
    }

    /** The model.json of a Retouch model; {@code null} for classical methods and external files. */
    default ModelMeta meta() {
        return null;
    }

    /** Frees native memory (nothing for classical methods). */
    @Override
    default void close() {
    }
}
