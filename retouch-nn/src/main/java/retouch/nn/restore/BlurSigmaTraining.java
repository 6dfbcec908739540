package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import retouch.RetouchException;
import retouch.data.ImageFolder;
import retouch.data.PatchSampler;
import retouch.degrade.GaussianBlur;
import retouch.degrade.GaussianNoise;
import retouch.image.Grids;
import retouch.image.Image;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.StepContext;
import retouch.nn.train.TrainContext;
import retouch.nn.train.TrainingTask;

/**
 * Trains a {@link BlurSigmaNet}: luma patches of clean photos (flips and turns) blurred by a
 * Gaussian of σ drawn uniformly from [sigmaLo, sigmaHi], Gaussian noise σ 0–{@code noiseMax} added
 * and the result rounded to 8 bits, as users' photos are; the loss is |σ̂ − σ|. The blur is applied
 * to a larger crop and the patch cut from its middle, so no patch sees an artificial mirrored
 * border. Validation: the held-out photos (every {@code valEvery}-th), whole, at σ 1.0 / 1.6 /
 * 2.0 / 3.0 with noise σ 2 (fixed seeds): the mean absolute error of σ̂ per σ and over all four.
 */
public final class BlurSigmaTraining implements TrainingTask {
    /** The blurs validation measures (px), each with noise σ 2. */
    static final double[] VAL_SIGMAS = {1.0, 1.6, 2.0, 3.0};
    static final double VAL_NOISE = 2;

    /** Settings of one run; recorded in model.json. */
    public record Config(int width, int stages, int patch, int batch, double sigmaLo, double sigmaHi, double noiseMax, float lr, float lrMin,
                         long steps, int valEvery, String dataDescription) {
        public Config {
            if (!(sigmaLo > 0) || !(sigmaHi > sigmaLo) || sigmaHi > 10) {
                throw new RetouchException("--sigma must be a range lo-hi with 0 < lo < hi <= 10 px, got " + sigmaLo + "-" + sigmaHi);
            }
            if (stages < 1 || stages > 4) throw new RetouchException("--stages must be 1-4, got " + stages);
            if (patch < 32 || patch % (1 << stages) != 0) {
                throw new RetouchException("--patch must be a multiple of " + (1 << stages) + " and at least 32, got " + patch);
            }
            if (noiseMax < 0 || noiseMax > 50) throw new RetouchException("--noise-max must be in 0-50, got " + noiseMax);
        }
    }

    private final Config cfg;
    private final ImageFolder folder;
    private final List<Image> pool = new ArrayList<>();
    private final List<Image[]> validation = new ArrayList<>();
    private TrainingSetup net;

    public BlurSigmaTraining(Config cfg, ImageFolder folder) {
        this.cfg = cfg;
        this.folder = folder;
    }

    public static ModelMeta meta(Config c) {
        return BlurSigmaNet.meta(c.width(), c.stages())
                .hyper("patch", c.patch())
                .hyper("batch", c.batch())
                .hyper("sigma_range", List.of(c.sigmaLo(), c.sigmaHi()))
                .hyper("noise_max", c.noiseMax())
                .hyper("loss", "l1")
                .hyper("lr", c.lr())
                .hyper("lr_min", c.lrMin())
                .trainingData(c.dataDescription())
                .build();
    }

    /** How far the blur reaches beyond the patch: the widest kernel's radius. */
    private int margin() {
        return (int) Math.ceil(3 * cfg.sigmaHi());
    }

    @Override
    public void init(TrainContext ctx) {
        net = TrainingSetup.create(ctx, meta(cfg), cfg.lr(), cfg.lrMin(), cfg.steps());
        int side = cfg.patch() + 2 * margin();
        TrainingSetup.readImages(folder, 1, cfg.valEvery(), side, (im, i) -> {
            Image[] blurred = new Image[VAL_SIGMAS.length];
            for (int k = 0; k < VAL_SIGMAS.length; k++) {
                blurred[k] = degrade(im, VAL_SIGMAS[k], VAL_NOISE, new SplittableRandom(1000L * i + k));
            }
            validation.add(blurred);
        }, pool::add);
    }

    /** Blur, noise, 8-bit rounding: a photo as a user has it. */
    static Image degrade(Image clean, double sigma, double noise, SplittableRandom rng) {
        Image blurred = new GaussianBlur(sigma).apply(clean, rng);
        return (noise > 0 ? GaussianNoise.addNoise(blurred, noise, rng) : blurred).quantize8();
    }

    @Override
    public Map<String, Float> step(StepContext ctx) {
        NDManager m = ctx.manager();
        Random r = ctx.random();
        SplittableRandom rng = new SplittableRandom(r.nextLong());
        int p = cfg.patch(), e = margin(), side = p + 2 * e;
        float[] in = new float[cfg.batch() * p * p];
        float[] target = new float[cfg.batch()];
        for (int b = 0; b < cfg.batch(); b++) {
            Image im = pool.get(r.nextInt(pool.size()));
            Image crop = PatchSampler.dihedral(im.crop(r.nextInt(im.height() - side + 1), r.nextInt(im.width() - side + 1), side, side), r.nextInt(8));
            double sigma = cfg.sigmaLo() + r.nextDouble() * (cfg.sigmaHi() - cfg.sigmaLo());
            double noise = r.nextDouble() * cfg.noiseMax();
            Image patch = degrade(crop, sigma, noise, rng).crop(e, e, p, p);
            System.arraycopy(patch.data(), 0, in, b * p * p, p * p);
            target[b] = (float) sigma;
        }
        NDArray x = m.create(in, new Shape(cfg.batch(), 1, p, p));
        NDArray y = m.create(target, new Shape(cfg.batch()));
        return TrainingSetup.descend(ctx, net.block(), new NDList(x), true, maps -> BlurSigmaNet.pool(maps).sub(y).abs().mean(), net.adam());
    }

    private double estimate(StepContext ctx, Image photo) {
        return BlurSigmaEstimator.estimate(photo, ctx.manager(), 1 << cfg.stages(),
                x -> net.block().forward(ctx.parameterStore(), new NDList(x), false).singletonOrThrow());
    }

    @Override
    public Map<String, Float> validate(StepContext ctx) {
        if (validation.isEmpty()) return Map.of();
        double[] err = new double[VAL_SIGMAS.length];
        for (Image[] photo : validation) {
            for (int k = 0; k < VAL_SIGMAS.length; k++) err[k] += Math.abs(estimate(ctx, photo[k]) - VAL_SIGMAS[k]);
        }
        Map<String, Float> out = new LinkedHashMap<>();
        double all = 0;
        for (int k = 0; k < VAL_SIGMAS.length; k++) {
            double mean = err[k] / validation.size();
            out.put(String.format(Locale.ROOT, "val_err_sigma%.1f", VAL_SIGMAS[k]), (float) mean);
            all += mean / VAL_SIGMAS.length;
        }
        out.put("val_err", (float) all);
        return out;
    }

    /** The first held-out photo at each validation blur, labelled with the true and estimated σ. */
    @Override
    public void writeSamples(StepContext ctx, Path file) throws IOException {
        if (validation.isEmpty()) return;
        List<Image> images = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < VAL_SIGMAS.length; k++) {
            Image photo = validation.get(0)[k];
            images.add(photo);
            labels.add(String.format(Locale.ROOT, "σ %.1f: step %d says %.2f", VAL_SIGMAS[k], ctx.step(), estimate(ctx, photo)));
        }
        Grids.writeStrip(images, labels, file);
    }
}
