package retouch.nn.restore;

import retouch.restore.RestoreParams;
import retouch.RetouchException;
import retouch.degrade.BlurEstimator;
import retouch.degrade.GaussianBlur;
import retouch.degrade.NoiseEstimator;
import retouch.image.Image;
import retouch.nn.store.LoadedModel;

/**
 * Blind deblurring with a deblurring network, by default in two stages: the network restores the
 * most textured {@value #ESTIMATION_WINDOW}-px window, the Gaussian or motion blur that best maps
 * its output back to the photo is fitted ({@link BlurEstimator}), and that blur is undone over the
 * whole photo by plug-and-play deconvolution ({@link PnpDeblurrer}) with the shipped denoiser (the
 * colour one for RGB photos). When the fit finds a Gaussian and the σ estimator
 * {@value BlurSigmaEstimator#MODEL} ({@link BlurSigmaNet}) is installed and reads σ {@value
 * #ESTIMATOR_FROM_SIGMA} px or more from the photo itself, its σ replaces the fitted one: the
 * network's output keeps part of a wide blur, and the fit falls short (σ 3 fitted as 2.6–2.75 on
 * held-out photos, 0.33 px off on average, where the estimator is 0.11 off). Up to σ 2.5 the fit
 * is the closer one (0.05–0.10 px against 0.10), so narrower blurs keep it. The network alone
 * leaves much of a known-family blur in place (figures in docs/MODELS.md); it falls back to the
 * network's output when the photo shows no measurable blur, is smaller than {@link BlurEstimator#MIN_SIDE} px, no denoiser is installed, or the settings' deblur mode is
 * {@code network}.
 */
public final class BlindDeblurRestorer extends NetworkRestorer {
    /** Side of the window the blur is estimated on: the most textured part of the photo. */
    static final int ESTIMATION_WINDOW = 384;
    /**
     * Gaussians the estimator reads this wide (px) or wider take its σ instead of the fitted one.
     * Chosen on 43 held-out CBSD432 photos at σ 1.6 / 2 / 2.5 / 3 against thresholds on the fitted σ
     * and on the difference of the two (docs/BENCHMARKS.md, Deblurring).
     */
    static final double ESTIMATOR_FROM_SIGMA = 2.7;

    /** The shipped denoiser for the deconvolution stage, opened on first use; null (with a note) when it is not installed. */
    private final LazyRestorer prior;
    /** The Gaussian σ estimator, opened on first use; null (with a note) when it is not installed. */
    private BlurSigmaEstimator sigmaNet;
    private boolean sigmaNetTried;

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
            estimate = refineGaussian(estimate, degraded);
            Image sharp = new PnpDeblurrer(prior.get(), name()).deblur(degraded, estimate.blur(), noise);
            return new Restoration(sharp, estimate, "plug-and-play with " + prior.get().nameFor(degraded) + " for the "
                    + (estimate.source() == null ? "fitted " : "estimated ") + estimate.blur().spec());
        }
    }

    /** A fitted Gaussian with the estimator's σ when that reads {@value #ESTIMATOR_FROM_SIGMA} px or more; anything else as it is. */
    private BlurEstimator.Estimate refineGaussian(BlurEstimator.Estimate fitted, Image degraded) {
        if (!(fitted.blur() instanceof GaussianBlur)) return fitted;
        BlurSigmaEstimator net = sigmaNet();
        if (net == null) return fitted;
        double sigma = net.estimate(degraded);
        if (!Double.isFinite(sigma) || sigma < ESTIMATOR_FROM_SIGMA) return fitted;
        sigma = Math.min(BlurEstimator.GAUSS_MAX, sigma);
        return fitted.refined(new GaussianBlur(Math.round(sigma * 100) / 100.0), net.name());
    }

    private synchronized BlurSigmaEstimator sigmaNet() {
        if (!sigmaNetTried) {
            sigmaNetTried = true;
            try {
                sigmaNet = BlurSigmaEstimator.open(BlurSigmaEstimator.MODEL);
            } catch (RetouchException e) {
                System.err.println("note: " + name() + " takes a Gaussian blur's σ from the kernel fit (" + e.getMessage() + ")");
            }
        }
        return sigmaNet;
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
        synchronized (this) {
            if (sigmaNet != null) sigmaNet.close();
        }
        super.close();
    }
}
