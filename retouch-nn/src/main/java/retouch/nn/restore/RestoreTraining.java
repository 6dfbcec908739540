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
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import retouch.RetouchException;
import retouch.nn.Scalars;
import retouch.data.ImageFolder;
import retouch.data.PatchSampler;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.StartModel;
import retouch.nn.train.StepContext;
import retouch.nn.train.TrainContext;
import retouch.nn.train.TrainingTask;

/**
 * Trains an FFDNet-style network or a U-Net ({@link UNetDenoiser}, the noise level as its second
 * input) for deblurring, JPEG repair or super-resolution on the bicubic upscale ({@link TaskDegradation}).
 * Patches are cut and damaged in Java with the same degradation code that evaluation uses, so
 * training and test inputs cannot drift apart; each step then sends one input and one target
 * batch to the engine. (Denoising keeps its all-native pipeline in {@link DenoiseTraining}: noise
 * is cheap to make on the engine side, blur kernels and MATLAB-style bicubic resizing are not.)
 * Validation: held-out training images (every {@code valEvery}-th), damaged with fixed seeds.
 */
public final class RestoreTraining implements TrainingTask {

    /**
     * Settings of one run; recorded in model.json.
     *
     * @param architecture {@link RestoreNets#FFDNET} or {@link RestoreNets#UNET}; for the U-Net {@code depth}
     *     is the number of residual blocks per level and {@code levels} its resolutions
     * @param loss {@code l2}, {@code l1}, or {@code psnr}: minus the mean PSNR gain over the patches of a batch
     *     ({@link #loss})
     */
    public record Config(String task, int channels, int depth, int width, int patch, int batch, double noiseMax,
                         float lr, float lrMin, long steps, int valEvery, String dataDescription, String loss,
                         String architecture, int levels) {
        public Config {
            if (!LOSSES.contains(loss)) throw new RetouchException("--loss must be one of " + String.join(", ", LOSSES) + ", not " + loss);
            if (!RestoreNets.FFDNET.equals(architecture) && !RestoreNets.UNET.equals(architecture)) {
                throw new RetouchException("--task " + task + " trains the ffdnet or unet architecture, not " + architecture);
            }
        }

        /** An FFDNet-style network. */
        public Config(String task, int channels, int depth, int width, int patch, int batch, double noiseMax,
                      float lr, float lrMin, long steps, int valEvery, String dataDescription, String loss) {
            this(task, channels, depth, width, patch, batch, noiseMax, lr, lrMin, steps, valEvery, dataDescription, loss, RestoreNets.FFDNET, 0);
        }

        boolean unet() {
            return RestoreNets.UNET.equals(architecture);
        }
    }

    /** The losses a restoration network trains with. */
    public static final List<String> LOSSES = List.of("l2", "l1", "psnr");

    private final Config cfg;
    private final ImageFolder folder;
    private final TaskDegradation degradation;
    private final List<Image> pool = new ArrayList<>();
    private final List<Image> validation = new ArrayList<>();
    private final List<TaskDegradation.Sample> validationInputs = new ArrayList<>();
    private TrainingSetup net;

    public RestoreTraining(Config cfg, ImageFolder folder) {
        this.cfg = cfg;
        this.folder = folder;
        this.degradation = new TaskDegradation(cfg.task(), cfg.noiseMax());
        if (cfg.patch() % degradation.patchMultiple() != 0) {
            throw new RetouchException("--patch must be a multiple of " + degradation.patchMultiple() + " for " + cfg.task());
        }
        if (cfg.unet() && cfg.patch() % UNetDenoiser.sizeMultiple(cfg.levels()) != 0) {
            throw new RetouchException("--patch must be a multiple of " + UNetDenoiser.sizeMultiple(cfg.levels()) + " for a U-Net of " + cfg.levels() + " levels");
        }
    }

    public static ModelMeta meta(Config c) {
        ModelMeta.Builder b = ModelMeta.builder(c.architecture());
        if (c.task().equals(retouch.nn.task.JpegTask.TASK.id())) {
            b.hyper(retouch.nn.task.JpegTask.LEVEL_HYPER, retouch.nn.task.JpegTask.LEVEL_QUALITY);
        }
        if (c.unet()) {
            b.hyper("width", c.width()).hyper("levels", c.levels()).hyper("blocks", c.depth());
        } else {
            b.hyper("depth", c.depth()).hyper("width", c.width());
        }
        return b
                .channels(c.channels(), c.channels())
                .hyper("residual", true)
                .hyper("patch", c.patch())
                .hyper("batch", c.batch())
                .hyper("scale", TaskDegradation.scaleOf(c.task()))
                .hyper("noise_max", c.noiseMax())
                .hyper("loss", c.loss())
                .hyper("lr", c.lr())
                .hyper("lr_min", c.lrMin())
                .valueRange(0, 1)
                .tasks(c.task())
                .trainingData(c.dataDescription())
                .build();
    }

    @Override
    public void init(TrainContext ctx) {
        net = TrainingSetup.create(ctx, meta(cfg), cfg.lr(), cfg.lrMin(), cfg.steps());
        TrainingSetup.readImages(folder, cfg.channels(), cfg.valEvery(), cfg.patch(), (im, i) -> {
            int m = degradation.patchMultiple(); // the Denoiser pads to the network's own multiple
            Image v = im.crop(0, 0, im.height() - im.height() % m, im.width() - im.width() % m);
            validation.add(v);
            validationInputs.add(degradation.apply(v, new SplittableRandom(1000 + i)));
        }, pool::add);
    }

    @Override
    public String initialiseFrom(TrainContext ctx, StartModel start) {
        return NetworkStart.initialise(ctx, start);
    }

    @Override
    public Map<String, Float> step(StepContext ctx) {
        NDManager m = ctx.manager();
        Random r = ctx.random();
        SplittableRandom degradeRng = new SplittableRandom(r.nextLong());
        int p = cfg.patch(), c = cfg.channels(), n = p * p * c;
        float[] in = new float[cfg.batch() * n];
        float[] target = new float[cfg.batch() * n];
        float[] levels = new float[cfg.batch()];
        for (int b = 0; b < cfg.batch(); b++) {
            Image im = pool.get(r.nextInt(pool.size()));
            Image clean = PatchSampler.dihedral(im.crop(r.nextInt(im.height() - p + 1), r.nextInt(im.width() - p + 1), p, p), r.nextInt(8));
            TaskDegradation.Sample s = degradation.apply(clean, degradeRng);
            System.arraycopy(clean.data(), 0, target, b * n, n);
            System.arraycopy(s.input().data(), 0, in, b * n, n);
            levels[b] = s.level();
        }
        Shape shape = new Shape(cfg.batch(), c, p, p);
        NDArray x = m.create(in, shape);
        NDArray y = m.create(target, shape);
        NDArray level = m.create(levels, new Shape(cfg.batch(), 1, 1, 1));
        return TrainingSetup.descend(ctx, net.block(), new NDList(x, level), true, out -> loss(cfg.loss(), out, y, x), net.adam());
    }

    /**
     * The loss of a batch. {@code psnr} is the mean over patches of 10·log10(MSE(output)/MSE(input)),
     * minus the mean PSNR gain: every patch's gain weighs alike, so a near-lossless JPEG patch the
     * network damages by 1 dB costs as much as a blocky one it repairs by 1 dB gains, where an L2
     * loss would hardly see the first (its errors are a hundred times smaller).
     */
    static NDArray loss(String kind, NDArray out, NDArray clean, NDArray input) {
        NDArray diff = out.sub(clean);
        switch (kind) {
            case "l1":
                return diff.abs().mean();
            case "psnr":
                Shape perPatch = new Shape(out.getShape().get(0), -1);
                NDArray before = input.sub(clean).square().reshape(perPatch).mean(new int[] {1}).add(1e-10f);
                NDArray ratio = diff.square().reshape(perPatch).mean(new int[] {1}).add(1e-10f).div(before);
                return Scalars.mul(ratio.log().mean(), (float) (10 / Math.log(10)));
            default:
                return diff.square().mean();
        }
    }

    @Override
    public Map<String, Float> validate(StepContext ctx) {
        if (validation.isEmpty()) return Map.of();
        double before = 0, after = 0;
        try (Denoiser d = net.denoiser(ctx.manager())) {
            for (int i = 0; i < validation.size(); i++) {
                TaskDegradation.Sample s = validationInputs.get(i);
                before += Psnr.of(validation.get(i), s.input().clip());
                after += Psnr.of(validation.get(i), d.apply(s.input(), s.level() * 255.0).clip());
            }
        }
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("val_psnr_input", (float) (before / validation.size()));
        out.put("val_psnr", (float) (after / validation.size()));
        return out;
    }

    @Override
    public void writeSamples(StepContext ctx, Path file) throws IOException {
        if (validation.isEmpty()) return;
        Image clean = validation.get(0);
        TaskDegradation.Sample s = validationInputs.get(0);
        Image restored;
        try (Denoiser d = net.denoiser(ctx.manager())) {
            restored = d.apply(s.input(), s.level() * 255.0).clip();
        }
        TrainingSetup.writeStrip(file, ctx.step(), clean, cfg.task() + " input", s.input().clip(), restored);
    }
}
