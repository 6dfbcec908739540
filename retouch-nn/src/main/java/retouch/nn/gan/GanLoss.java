package retouch.nn.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.Locale;
import retouch.RetouchException;

/** GAN objectives on raw discriminator scores. */
public enum GanLoss {
    /** Hinge loss (Lim &amp; Ye 2017; Miyato et al. 2018): D max(0, 1 - D(x)) + max(0, 1 + D(G(z))), G -D(G(z)). */
    HINGE("hinge"),
    /** Non-saturating loss (Goodfellow et al. 2014): D softplus(-D(x)) + softplus(D(G(z))), G softplus(-D(G(z))). */
    NON_SATURATING("ns");

    private final String id;

    GanLoss(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Parses "hinge" or "ns" (also "non-saturating"). */
    public static GanLoss parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "hinge" -> HINGE;
            case "ns", "non-saturating", "nonsaturating" -> NON_SATURATING;
            case "wgan-gp", "wgangp" -> throw new RetouchException("WGAN-GP is not offered: its gradient penalty needs second derivatives, "
                    + "which leak memory in this engine (see docs); use --loss hinge (with spectral normalisation)");
            default -> throw new RetouchException("unknown GAN loss '" + s + "'; choose hinge or ns");
        };
    }

    /** Discriminator loss (mean over the batch). */
    public NDArray discriminator(NDArray real, NDArray fake) {
        return switch (this) {
            case HINGE -> Activation.relu(real.neg().add(1f)).mean().add(Activation.relu(fake.add(1f)).mean());
            case NON_SATURATING -> Activation.softPlus(real.neg()).mean().add(Activation.softPlus(fake).mean());
        };
    }

    /** Generator loss (mean over the batch). */
    public NDArray generator(NDArray fake) {
        return switch (this) {
            case HINGE -> fake.mean().neg();
            case NON_SATURATING -> Activation.softPlus(fake.neg()).mean();
        };
    }
}
