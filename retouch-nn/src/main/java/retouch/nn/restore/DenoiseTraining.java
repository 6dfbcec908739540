package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import retouch.data.ImageFolder;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.nn.ImageTensors;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.StartModel;
import retouch.nn.train.StepContext;
import retouch.nn.train.TrainContext;
import retouch.nn.train.TrainingTask;
import retouch.image.Resize;
import retouch.RetouchException;

/**
 * Trains a Gaussian denoiser (DnCNN or FFDNet-style) on random patches of clean photos, with the
 * noise level drawn per patch from [sigmaLo, sigmaHi] (a blind model when the range is wide).
 *
 * <p>Data stay native: every training image is one NDArray in the run's manager, and a batch is
 * gathered by cropping on the native side (random position and one of the 8 flips/rotations),
 * so no per-step float[] copies cross the JNI boundary. A few images are held out (every
 * {@code valEvery}-th file) for validation PSNR at σ 15/25/50 with fixed noise; test sets are
 * never touched.
 */
public final class DenoiseTraining implements TrainingTask {

    /** Settings of one run; recorded in model.json. */
    /**
     * Settings of one run; recorded in model.json. For the U-Net ({@link UNetDenoiser}) {@code depth}
     * is the number of residual blocks per level and {@code levels} its resolutions. With
     * {@code quantize} the noisy input is clipped to [0, 1] and rounded to 8 bits, as users' photos
     * are (training and validation alike).
     */
    public record Config(String architecture, int channels, int depth, int width, int patch, int batch,
                         double sigmaLo, double sigmaHi, float lr, float lrMin, long steps, String loss,
                         int valEvery, String dataDescription, boolean freezeBatchNorm, int levels, boolean quantize,
                         List<Double> scales) {
        public Config {
            scales = scales == null || scales.isEmpty() ? List.of(1.0) : List.copyOf(scales);
            for (double s : scales) if (!(s > 0 && s <= 1)) throw new IllegalArgumentException("training scales must be in (0, 1], got " + s);
        }

        public Config(String architecture, int channels, int depth, int width, int patch, int batch,
                      double sigmaLo, double sigmaHi, float lr, float lrMin, long steps, String loss,
                      int valEvery, String dataDescription, boolean freezeBatchNorm, int levels, boolean quantize) {
            this(architecture, channels, depth, width, patch, batch, sigmaLo, sigmaHi, lr, lrMin, steps, loss, valEvery, dataDescription,
                    freezeBatchNorm, levels, quantize, List.of(1.0));
        }

        public Config(String architecture, int channels, int depth, int width, int patch, int batch, double sigmaLo, double sigmaHi,
                      float lr, float lrMin, long steps, String loss, int valEvery, String dataDescription, boolean freezeBatchNorm) {
            this(architecture, channels, depth, width, patch, batch, sigmaLo, sigmaHi, lr, lrMin, steps, loss, valEvery, dataDescription,
                    freezeBatchNorm, 3, false);
        }

        public Config(String architecture, int channels, int depth, int width, int patch, int batch, double sigmaLo, double sigmaHi,
                      float lr, float lrMin, long steps, String loss, int valEvery, String dataDescription) {
            this(architecture, channels, depth, width, patch, batch, sigmaLo, sigmaHi, lr, lrMin, steps, loss, valEvery, dataDescription, false);
        }

        boolean unet() {
            return RestoreNets.UNET.equals(architecture);
        }
    }

    private final Config cfg;
    private final ImageFolder folder;
    private final List<NDArray> pool = new ArrayList<>();
    private final List<Image> validation = new ArrayList<>();
    private TrainingSetup net;

    public DenoiseTraining(Config cfg, ImageFolder folder) {
        this.cfg = cfg;
        this.folder = folder;
    }

    public static ModelMeta meta(Config c) {
        ModelMeta.Builder b = ModelMeta.builder(c.architecture())
                .channels(c.channels(), c.channels());
        if (c.unet()) {
            b.hyper("width", c.width()).hyper("levels", c.levels()).hyper("blocks", c.depth());
        } else {
            b.hyper("depth", c.depth()).hyper("width", c.width());
        }
        b.hyper("residual", true)
                .hyper("patch", c.patch())
                .hyper("batch", c.batch())
                .hyper("sigma_range", List.of(c.sigmaLo(), c.sigmaHi()))
                .hyper("loss", c.loss())
                .hyper("lr", c.lr())
                .hyper("lr_min", c.lrMin())
                .valueRange(0, 1)
                .tasks("denoise")
                .trainingData(c.dataDescription());
        if (c.freezeBatchNorm()) b.hyper("freeze_batchnorm", true);
        if (c.quantize()) b.hyper("noisy_input", "clipped, 8-bit");
        if (!c.scales().equals(List.of(1.0))) b.hyper("scales", c.scales());
        return b.build();
    }

    @Override
    public void init(TrainContext ctx) {
        net = TrainingSetup.create(ctx, meta(cfg), cfg.lr(), cfg.lrMin(), cfg.steps());
        // each training photo at every scale (MATLAB-style bicubic, antialiased): downscaled copies put
        // fine texture near the sampling limit, as in DnCNN's training (scales 1, 0.9, 0.8, 0.7)
        try {
            TrainingSetup.readImages(folder, cfg.channels(), cfg.valEvery(), cfg.patch(), (im, i) -> validation.add(im), im -> {
                for (double s : cfg.scales()) {
                    Image scaled = s == 1 ? im : Resize.bicubic(im, s).clip();
                    if (scaled.height() >= cfg.patch() && scaled.width() >= cfg.patch()) pool.add(ImageTensors.toArray(ctx.manager(), scaled));
                }
            });
        } catch (OutOfMemoryError e) {
            // the photos live in the engine's memory, reached through the JVM's direct buffers
            pool.forEach(NDArray::close);
            pool.clear();
            throw new RetouchException(folder.root() + ": the training photos" + (cfg.scales().size() > 1 ? " at scales " + cfg.scales() : "")
                    + " do not fit in the JVM's direct memory (" + e.getMessage() + "); raise it, e.g. RETOUCH_JAVA_OPTS=\"-Xmx2g "
                    + "-XX:MaxDirectMemorySize=4g\" (CBSD432 in colour takes about 0.8 GB per scale 1, 2.8 GB at six scales from 1 to 0.5), "
                    + "or give fewer --scales");
        }
        if (pool.isEmpty()) {
            throw new RetouchException(folder.root() + ": no training photo is at least " + cfg.patch() + " pixels on each side at scales "
                    + cfg.scales() + "; use a smaller --patch or larger --scales");
        }
    }

    /** A training batch: clean patches, their noisy versions and the per-patch noise levels (σ/255). */
    private record Batch(NDArray clean, NDArray noisy, NDArray level) {}

    private Batch batch(NDManager m, Random r) {
        int p = cfg.patch();
        NDList patches = new NDList(cfg.batch());
        float[] sigmas = new float[cfg.batch()];
        for (int b = 0; b < cfg.batch(); b++) {
            NDArray im = pool.get(r.nextInt(pool.size()));
            long h = im.getShape().get(1), w = im.getShape().get(2);
            int y = r.nextInt((int) (h - p + 1)), x = r.nextInt((int) (w - p + 1));
            NDArray crop = im.get(new NDIndex(":, {}:{}, {}:{}", y, y + p, x, x + p));
            crop.attach(m);
            patches.add(dihedral(crop, r.nextInt(8)));
            sigmas[b] = (float) ((cfg.sigmaLo() + r.nextDouble() * (cfg.sigmaHi() - cfg.sigmaLo())) / 255.0);
        }
        NDArray clean = NDArrays.stack(patches);
        NDArray level = m.create(sigmas, new ai.djl.ndarray.types.Shape(cfg.batch(), 1, 1, 1));
        NDArray noisy = clean.add(m.randomNormal(clean.getShape()).mul(level));
        if (cfg.quantize()) noisy = noisy.mul(255).round().div(255).clip(0, 1);
        return new Batch(clean, noisy, level);
    }

    private NDList inputs(Batch b) {
        return RestoreNets.takesLevel(cfg.architecture()) ? new NDList(b.noisy(), b.level()) : new NDList(b.noisy());
    }

    @Override
    public String initialiseFrom(TrainContext ctx, StartModel start) {
        return NetworkStart.initialise(ctx, start);
    }

    @Override
    public Map<String, Float> step(StepContext ctx) {
        Batch b = batch(ctx.manager(), ctx.random());
        // frozen BatchNorm: normalise with the running statistics the start model came with
        // (fine-tuning a network whose units see inputs unlike its batches'; gradients still flow)
        return TrainingSetup.descend(ctx, net.block(), inputs(b), !cfg.freezeBatchNorm(), out -> {
            NDArray diff = out.sub(b.clean());
            return "l1".equals(cfg.loss()) ? diff.abs().mean() : diff.square().mean();
        }, net.adam());
    }

    /**
     * Re-estimates the BatchNorm running statistics for the current weights from
     * {@value #REFRESH_BATCHES} training-like batches (forward only, no weight change). The running
     * averages otherwise lag behind weights that moved since; measured +0.3 dB validation PSNR at
     * σ25 early in training. Done before each validation, so validation figures and checkpoints
     * (and thus exported models) carry fresh statistics. Seeded from the step: resume stays exact.
     */
    private void refreshBatchNorm(StepContext ctx) {
        if (cfg.freezeBatchNorm()) return;
        Random r = new Random(ctx.step() * 7919L + 17);
        for (int i = 0; i < REFRESH_BATCHES; i++) {
            try (NDManager m = ctx.manager().newSubManager()) {
                net.block().forward(new ai.djl.training.ParameterStore(m, false), inputs(batch(m, r)), true);
            }
        }
    }

    private static final int REFRESH_BATCHES = 50;

    /** One of the 8 flips/rotations of a C×H×W patch (square patches keep their shape). */
    static NDArray dihedral(NDArray x, int mode) {
        NDArray y = (mode & 4) != 0 ? x.transpose(0, 2, 1) : x;
        if ((mode & 1) != 0) y = y.flip(1);
        if ((mode & 2) != 0) y = y.flip(2);
        return y;
    }

    @Override
    public Map<String, Float> validate(StepContext ctx) {
        if (validation.isEmpty()) return Map.of();
        refreshBatchNorm(ctx);
        Denoiser d = net.denoiser(ctx.manager());
        Map<String, Float> out = new LinkedHashMap<>();
        for (int sigma : new int[] {15, 25, 50}) {
            double sum = 0;
            for (int i = 0; i < validation.size(); i++) {
                Image clean = validation.get(i);
                Image noisy = noisyInput(clean, sigma, new SplittableRandom(1000 + i));
                sum += Psnr.of(clean, d.denoise(noisy, sigma).clip());
            }
            out.put("val_psnr" + sigma, (float) (sum / validation.size()));
        }
        return out;
    }

    /** The validation input: Gaussian noise, clipped and rounded to 8 bits when the run trains on such inputs. */
    private Image noisyInput(Image clean, double sigma, SplittableRandom random) {
        Image noisy = GaussianNoise.addNoise(clean, sigma, random);
        return cfg.quantize() ? noisy.quantize8() : noisy;
    }

    @Override
    public void writeSamples(StepContext ctx, Path file) throws IOException {
        if (validation.isEmpty()) return;
        Image clean = validation.get(0);
        Image noisy = noisyInput(clean, 25, new SplittableRandom(1000));
        Image restored = net.denoiser(ctx.manager()).denoise(noisy, 25).clip();
        TrainingSetup.writeStrip(file, ctx.step(), clean, "noisy σ25", noisy.clip(), restored);
    }
}
