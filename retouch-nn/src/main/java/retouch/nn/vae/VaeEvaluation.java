package retouch.nn.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.function.LongConsumer;
import retouch.data.LabeledImages;

/**
 * Likelihood figures of a VAE on a test set, in nats per image:
 * the negative ELBO (one posterior sample per image) and the importance-weighted bound of Burda
 * et al. 2016, -log (1/k Σ_i p(x, z_i) / q(z_i|x)) with z_i ~ q(z|x), which tightens towards
 * -log p(x) as k grows (the figure papers report as "NLL" with k = 5,000; k = 1,000 here by default).
 *
 * <p>With {@code binarize}, test images are binarised once by sampling each pixel as
 * Bernoulli(gray level) with {@code seed} (the stochastically binarised test set), so figures are
 * reproducible.
 */
public final class VaeEvaluation {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /** @param negElbo mean -ELBO; @param iwNll mean importance-weighted NLL bound; @param k samples per image; @param images images used */
    public record Result(double negElbo, double iwNll, int k, int images) {}

    private VaeEvaluation() {}

    /**
     * Evaluates {@code gen}'s VAE on {@code test} (gray images of the model's size).
     *
     * @param progress called with the number of images done so far (may be null)
     */
    public static Result evaluate(VaeGenerator gen, LabeledImages test, int k, boolean binarize, long seed, LongConsumer progress) {
        Vae vae = gen.vae();
        int n = test.size();
        int perChunk = Math.max(1, 4096 / k);
        double elboSum = 0, iwSum = 0;
        NDManager root = gen.manager();
        try (NDManager seeded = root.newSubManager()) {
            ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        }
        for (int from = 0; from < n; from += perChunk) {
            int to = Math.min(n, from + perChunk);
            int b = to - from;
            try (NDManager m = root.newSubManager()) {
                ParameterStore ps = new ParameterStore(m, false);
                LabeledImages part = test.subset(from, to);
                NDArray x = m.create(part.floats(), new Shape(b, vae.channels(), test.h(), test.w()));
                if (binarize) x = VaeTraining.binarize(x);
                NDArray onehot = vae.classes() > 0 ? Vae.oneHot(m, part.labels(), vae.classes()) : null;
                NDList q = vae.encode(ps, x, onehot, false);
                NDArray mu = q.get(0), logvar = q.get(1);
                int d = vae.latent();
                // Repeat each image's posterior k times: rows b*k.
                NDArray muK = mu.reshape(b, 1, d).broadcast(new Shape(b, k, d)).reshape(b * k, d);
                NDArray lvK = logvar.reshape(b, 1, d).broadcast(new Shape(b, k, d)).reshape(b * k, d);
                NDArray eps = m.randomNormal(new Shape(b * k, d));
                NDArray z = muK.add(lvK.mul(0.5f).exp().mul(eps));
                NDArray ohK = onehot == null ? null
                        : onehot.reshape(b, 1, vae.classes()).broadcast(new Shape(b, k, vae.classes())).reshape(b * k, vae.classes());
                NDArray xK = x.reshape(b, 1, -1).broadcast(new Shape(b, k, x.getShape().size() / b))
                        .reshape(b * k, vae.channels(), test.h(), test.w());
                NDArray logits = vae.decode(ps, z, ohK, false);
                NDArray logPx = vae.likelihood().nll(logits, xK, vae.logScale(ps, m)).neg();
                NDArray logPz = z.square().add((float) LOG_2PI).sum(new int[] {1}).mul(-0.5f);
                NDArray logQz = eps.square().add(lvK).add((float) LOG_2PI).sum(new int[] {1}).mul(-0.5f);
                NDArray logW = logPx.add(logPz).sub(logQz).reshape(b, k);
                // Single-sample ELBO: the first sample of each image.
                float[] lw = logW.toFloatArray();
                NDArray lse = logW.max(new int[] {1}, true);
                NDArray iw = logW.sub(lse).exp().mean(new int[] {1}).log().add(lse.reshape(b));
                float[] iwv = iw.toFloatArray();
                for (int i = 0; i < b; i++) {
                    elboSum += -lw[i * k];
                    iwSum += -iwv[i];
                }
            }
            if (progress != null) progress.accept(to);
        }
        return new Result(elboSum / n, iwSum / n, k, n);
    }
}
