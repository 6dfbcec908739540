package retouch.nn.restore;

import retouch.restore.RestoreParams;
import retouch.degrade.BlurEstimator;
import retouch.degrade.NoiseEstimator;
import retouch.image.Image;
import retouch.nn.store.LoadedModel;

/**
 * Blind deblurring with a deblurring network, by default in two stages: the network restores the
 * most textured {@value #ESTIMATION_WINDOW}-px window, the Gaussian or motion blur that best maps
 * its output back to the photo is fitted ({@link BlurEstimator}), and that blur is undone over the
 * whole photo by plug-and-play deconvolution ({@link PnpDeblurrer}) with the shipped denoiser (the
 * colour one for RGB photos). The
 * network alone leaves much of a known-family blur in place (figures in docs/MODELS.md); it falls
 * back to the network's output when the photo shows no measurable blur, is smaller than
 * {@link BlurEstimator#MIN_SIDE} px, no denoiser is installed, or the settings' deblur mode is
 * {@code network}.
 */
public final class BlindDeblurRestorer extends NetworkRestorer {
    /** Side of the window the blur is estimated on: the most textured part of the photo. */
    static final int ESTIMATION_WINDOW = 384;

    /** The shipped denoiser for the deconvolution stage, opened on first use; null (with a note) when it is not installed. */
    private final LazyRestorer prior;

    /** Runs {@code loaded} (which it owns); open models with {@link Restorers#open}. */
    public BlindDeblurRestorer(LoadedModel loaded, String name, RestoreSettings settings) {
        super(loaded, name, settings);
        // the task's shipped denoiser with its colour route: RGB photos get the colour model as their prior
        prior = new LazyRestorer(() -> Restorers.forTask("denoise", RestoreSettings.defaults().withTile(tile)),
                e -> System.err.println("note: " + name + " runs without kernel fitting (the network alone): " + e.getMessage()));
    }

    @Override
    public Restoration restore(Image degraded, RestoreParams params, RestoreSettings s) {
        double sigma = params == null ? Double.NaN : params.sigma();
        // The network is told the noise level of the blurred photo, within what it was trained on.
        double noiseMax = loaded.meta().doubleParam("noise_max", 5);
        double noise = Double.isNaN(sigma) ? NoiseEstimator.estimate(degraded) : sigma;
        double level = Math.min(noiseMax, noise);
        try (Denoiser d = denoiser(s)) {
            if (s.deblurModeFor(meta()).equals("network") || degraded.height() < BlurEstimator.MIN_SIDE
                    || degraded.width() < BlurEstimator.MIN_SIDE || prior.get() == null) {
                return new Restoration(d.apply(degraded, level).clip(), null, "network");
            }
            int[] at = BlurEstimator.texturedWindow(degraded, ESTIMATION_WINDOW);
            Image window = degraded.crop(at[0], at[1], Math.min(ESTIMATION_WINDOW, degraded.height()), Math.min(ESTIMATION_WINDOW, degraded.width()));
            BlurEstimator.Estimate estimate = BlurEstimator.fit(window, d.apply(window, level).clip());
            if (!estimate.isBlurred()) {
                return new Restoration(d.apply(degraded, level).clip(), estimate, "network (no measurable blur)");
            }
            Image sharp = new PnpDeblurrer(prior.get(), name()).deblur(degraded, estimate.blur(), noise);
            return new Restoration(sharp, estimate, "plug-and-play with " + prior.get().nameFor(degraded) + " for the fitted " + estimate.blur().spec());
        }
    }

    @Override
    public long passes(Image image, RestoreSettings s) {
        try (Denoiser d = denoiser(s)) {
            if (!s.deblurModeFor(meta()).equals("kernel-fit")) return d.passes(image.channels(), image.height(), image.width());
            // the window through the network, then the plug-and-play iterations over the whole photo
            int wh = Math.min(ESTIMATION_WINDOW, image.height()), ww = Math.min(ESTIMATION_WINDOW, image.width());
            return d.passes(image.channels(), wh, ww) + (long) PnpDeblurrer.ITERATIONS * d.passes(image.channels(), image.height(), image.width());
        }
    }

    @Override
    public void onTile(Runnable listener) {
        super.onTile(listener);
        prior.onTile(listener);
    }

    @Override
    public void close() {
        prior.close();
        super.close();
    }
}
