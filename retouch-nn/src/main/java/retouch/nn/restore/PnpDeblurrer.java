package retouch.nn.restore;

import retouch.RetouchException;
import retouch.restore.RestoreParams;
import retouch.degrade.Deconvolution;
import retouch.degrade.Degradation;
import retouch.degrade.NoiseEstimator;
import retouch.image.Image;

/**
 * Non-blind deblurring for a known blur (Gaussian or motion) by plug-and-play half-quadratic splitting (Zhang
 * et al., DPIR, TPAMI 2021): alternately a data step, x = argmin ‖A x − y‖² + ρₖ‖x − z‖²
 * ({@link Deconvolution}), and a prior step, z = denoiser(x) at a noise level σₖ that falls
 * log-linearly from 49 to the image's own noise level over the iterations, with ρₖ = λσ²/σₖ²
 * (DPIR's λ = 0.23, 8 iterations). Any denoiser that takes its σ works; the shipped blind
 * denoiser (FFDNet-style, told σ through its level map) is the default.
 *
 * <p>Knowing the blur is what makes the gain: the blind deblurring network must also guess the
 * kernel. As an evaluation method it needs the blur in {@link RestoreParams#blur()}.
 */
public final class PnpDeblurrer implements Restorer {
    /** DPIR's settings for deblurring. */
    static final double LAMBDA = 0.23;
    static final double START_SIGMA = 49;
    static final int ITERATIONS = 8;
    static final int CG_ITERATIONS = 30;

    private final Restorer denoiser;
    private final String name;
    private boolean ownsPrior;

    /** @param denoiser the prior: {@link Restorer#denoiseAsPrior} is told each noise level (σ on the 0–255 scale) */
    public PnpDeblurrer(Restorer denoiser, String name) {
        this.denoiser = denoiser;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** Plug-and-play with a prior opened for it alone: closing this closes the prior. */
    public static PnpDeblurrer owning(Restorer denoiser, String name) {
        PnpDeblurrer p = new PnpDeblurrer(denoiser, name);
        p.ownsPrior = true;
        return p;
    }

    @Override
    public void close() {
        if (ownsPrior) denoiser.close();
    }

    @Override
    public String task() {
        return "deblur";
    }

    /** Its name and the prior that restores {@code image} (a colour route picks the colour model for RGB photos). */
    @Override
    public String nameFor(Image image) {
        return name + ", prior " + denoiser.nameFor(image);
    }

    @Override
    public Restoration restore(Image blurred, RestoreParams params, RestoreSettings settings) {
        Degradation blur = params == null ? null : params.blur();
        if (blur == null) {
            throw new RetouchException("plug-and-play deblurring needs the blur: give it (restore --blur-sigma S or --blur motion:LENGTH:ANGLE; "
                    + "eval with a degradation that has blur:gauss:S or blur:motion:L:A)");
        }
        double noise = params.sigma();
        if (Double.isNaN(noise)) noise = NoiseEstimator.estimate(blurred);
        return Restoration.of(deblur(blurred, blur, noise));
    }

    /** Deblurs {@code blurred} (values in [0,1]) that has the blur {@code blur} and noise σ {@code noise255}. */
    public Image deblur(Image blurred, Degradation blur, double noise255) {
        Deconvolution deconv;
        try {
            deconv = Deconvolution.of(blur);
        } catch (IllegalArgumentException e) {
            throw new RetouchException("plug-and-play deblurring: " + e.getMessage());
        }
        // DPIR floors the noise level at 0.255/255 so that ρ stays positive for noise-free input.
        double noise = Math.max(0.255, noise255);
        Image aty = deconv.blurAdjoint(blurred);
        Image z = blurred;
        for (double level : levels(noise)) {
            double rho = LAMBDA * noise * noise / (level * level);
            Image x = deconv.solve(aty, z, rho, CG_ITERATIONS);
            z = denoiser.denoiseAsPrior(x, level);
        }
        return z.clip();
    }

    /** The prior's noise levels: log-spaced from 49 to the image's noise level (DPIR). */
    static double[] levels(double noise) {
        double[] s = new double[ITERATIONS];
        double a = Math.log10(START_SIGMA), b = Math.log10(Math.min(noise, START_SIGMA));
        for (int i = 0; i < ITERATIONS; i++) s[i] = Math.pow(10, a + (b - a) * i / (ITERATIONS - 1));
        return s;
    }
}
