package retouch.nn.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.nn.Activation;
import java.util.Locale;
import retouch.RetouchException;
import retouch.nn.Scalars;

/**
 * The decoder's pixel distribution p(x|z), parameterised by one logit per pixel.
 *
 * <ul>
 *   <li>{@link #BERNOULLI}: for binary images (binarised MNIST); also the usual choice for gray
 *       levels, where it is not a normalised density but gives sharp means.</li>
 *   <li>{@link #CONTINUOUS_BERNOULLI}: the normalised version for x in [0,1] (Loaiza-Ganem &amp;
 *       Cunningham 2019); its mean, not λ, is the image.</li>
 *   <li>{@link #GAUSSIAN}: N(sigmoid(logit), σ²) with one learned σ for all pixels.</li>
 * </ul>
 */
public enum Likelihood {
    BERNOULLI("bernoulli"),
    CONTINUOUS_BERNOULLI("cbernoulli"),
    GAUSSIAN("gaussian");

    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private final String id;

    Likelihood(String id) {
        this.id = id;
    }

    /** The name used in options and model.json. */
    public String id() {
        return id;
    }

    /** Parses "bernoulli", "cbernoulli" (or "continuous-bernoulli") and "gaussian". */
    public static Likelihood parse(String s) {
        String k = s.toLowerCase(Locale.ROOT).replace("_", "-");
        return switch (k) {
            case "bernoulli" -> BERNOULLI;
            case "cbernoulli", "continuous-bernoulli", "cb" -> CONTINUOUS_BERNOULLI;
            case "gaussian", "normal" -> GAUSSIAN;
            default -> throw new RetouchException("unknown likelihood '" + s + "'; choose bernoulli, cbernoulli or gaussian");
        };
    }

    /**
     * Negative log-likelihood -log p(x|z) per image (summed over pixels), shape N.
     *
     * @param logScale log σ for {@link #GAUSSIAN} (shape (1)), ignored otherwise
     */
    public NDArray nll(NDArray logits, NDArray x, NDArray logScale) {
        NDArray perPixel = switch (this) {
            case BERNOULLI -> bce(logits, x);
            case CONTINUOUS_BERNOULLI -> bce(logits, x).sub(logNormaliser(logits));
            case GAUSSIAN -> {
                NDArray mu = Activation.sigmoid(logits);
                NDArray z = x.sub(mu).mul(logScale.neg().exp());
                yield Scalars.mul(z.square(), 0.5f).add(logScale).add((float) HALF_LOG_2PI);
            }
        };
        return perPixel.reshape(perPixel.getShape().get(0), -1).sum(new int[] {1});
    }

    /** The mean of p(x|z): the image a decoder shows, in [0,1]. */
    public NDArray mean(NDArray logits) {
        if (this != CONTINUOUS_BERNOULLI) {
            return Activation.sigmoid(logits);
        }
        // E[x] = λ/(2λ-1) + 1/(2 atanh(1-2λ)) = λ/tanh(l/2) - 1/l with λ = sigmoid(l); → 1/2 + l/12 near 0.
        NDArray small = logits.abs().lt(1e-2f);
        NDArray safe = NDArrays.where(small, logits.onesLike().mul(1e-2f), logits);
        NDArray exact = Activation.sigmoid(safe).div(safe.mul(0.5f).tanh()).sub(safe.pow(-1));
        NDArray approx = logits.div(12f).add(0.5f);
        return NDArrays.where(small, approx, exact).clip(0, 1);
    }

    /** -x·l + softplus(l): Bernoulli cross-entropy with logits, per pixel. */
    private static NDArray bce(NDArray logits, NDArray x) {
        return Activation.softPlus(logits).sub(logits.mul(x));
    }

    /** log C(λ) of the continuous Bernoulli: log(l / tanh(l/2)), → log 2 + l²/12 near l = 0. */
    private static NDArray logNormaliser(NDArray logits) {
        NDArray small = logits.abs().lt(1e-3f);
        // Substitute a safe value in the branch not taken so its gradient cannot be NaN.
        NDArray safe = NDArrays.where(small, logits.onesLike(), logits);
        NDArray exact = safe.div(Scalars.mul(safe, 0.5f).tanh()).log();
        NDArray approx = Scalars.div(logits.square(), 12f).add((float) Math.log(2));
        return NDArrays.where(small, approx, exact);
    }
}
