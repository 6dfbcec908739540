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
import retouch.RetouchException;
import retouch.data.ImageFolder;
import retouch.data.PatchSampler;
import retouch.image.Image;
import retouch.image.Resize;
import retouch.metrics.Psnr;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.StartModel;
import retouch.nn.train.StepContext;
import retouch.nn.train.TrainContext;
import retouch.nn.train.TrainingTask;

/**
 * Trains a low-resolution super-resolution network ({@link EdsrNet}). Each high-resolution patch is
 * shrunk by MATLAB-style bicubic downscaling (the literature's protocol, the same code evaluation
 * uses) and rounded to 8 bits, as users' photos are; the network learns the correction to the
 * small patch's bicubic upscale. Validation: held-out images (every {@code valEvery}-th), PSNR on
 * the Y channel of BT.601 YCbCr with {@code scale} border pixels cropped, as published figures are.
 */
public final class SrTraining implements TrainingTask {

    /**
     * Settings of one run; recorded in model.json.
     *
     * @param patch side of the high-resolution patch (a multiple of the scale)
     */
    public record Config(String task, int channels, int width, int blocks, int patch, int batch, float lr, float lrMin,
                         long steps, int valEvery, String dataDescription, String loss) {
        public Config {
            if (!loss.equals("l1") && !loss.equals("l2")) throw new RetouchException("--loss must be l1 or l2 for super-resolution, not " + loss);
            int s = TaskDegradation.scaleOf(task);
            if (s == 0) throw new RetouchException("--arch edsr trains super-resolution (--task sr2, sr3 or sr4), not " + task);
            if (patch % s != 0 || patch / s < 8) throw new RetouchException("--patch must be a multiple of " + s + " and at least " + 8 * s + " for " + task);
        }

        public int scale() {
            return TaskDegradation.scaleOf(task);
        }
    }

    private final Config cfg;
    private final ImageFolder folder;
    private final List<Image> pool = new ArrayList<>();
    private final List<Image> validation = new ArrayList<>();
    private final List<Image> validationInputs = new ArrayList<>();
    private TrainingSetup net;
    private double bicubicPsnr;

    public SrTraining(Config cfg, ImageFolder folder) {
        this.cfg = cfg;
        this.folder = folder;
    }

    public static ModelMeta meta(Config c) {
        return ModelMeta.builder(EdsrNet.ARCHITECTURE)
                .channels(c.channels(), c.channels())
                .hyper("scale", c.scale())
                .hyper("width", c.width())
                .hyper("blocks", c.blocks())
                .hyper("patch", c.patch())
                .hyper("batch", c.batch())
                .hyper("loss", c.loss())
                .hyper("lr", c.lr())
                .hyper("lr_min", c.lrMin())
                .valueRange(0, 1)
                .tasks(c.task())
                .trainingData(c.dataDescription())
                .build();
    }

    /** The network's input for a clean image: MATLAB-style bicubic downscaling, rounded to 8 bits. */
    static Image shrink(Image clean, int scale) {
        return Resize.scale(clean, 1.0 / scale, Resize.Method.BICUBIC).clip().quantize8();
    }

    @Override
    public void init(TrainContext ctx) {
        net = TrainingSetup.create(ctx, meta(cfg), cfg.lr(), cfg.lrMin(), cfg.steps());
        int s = cfg.scale();
        TrainingSetup.readImages(folder, cfg.channels(), cfg.valEvery(), cfg.patch(), (im, i) -> {
            Image v = im.crop(0, 0, im.height() - im.height() % s, im.width() - im.width() % s);
            validation.add(v);
            validationInputs.add(shrink(v, s));
        }, pool::add);
        // bicubic's figure on the held-out photos does not change during a run: measured once
        double sum = 0;
        for (int i = 0; i < validation.size(); i++) {
            Image clean = validation.get(i);
            sum += Psnr.ofY(clean, Resize.resize(validationInputs.get(i), clean.height(), clean.width(), s, s, Resize.Method.BICUBIC).clip(), s);
        }
        bicubicPsnr = validation.isEmpty() ? Double.NaN : sum / validation.size();
    }

    @Override
    public String initialiseFrom(TrainContext ctx, StartModel start) {
        return NetworkStart.initialise(ctx, start);
    }

    @Override
    public Map<String, Float> step(StepContext ctx) {
        NDManager m = ctx.manager();
        Random r = ctx.random();
        int p = cfg.patch(), s = cfg.scale(), q = p / s, c = cfg.channels();
        int n = p * p * c, nq = q * q * c;
        float[] in = new float[cfg.batch() * nq];
        float[] target = new float[cfg.batch() * n];
        for (int b = 0; b < cfg.batch(); b++) {
            Image im = pool.get(r.nextInt(pool.size()));
            Image clean = PatchSampler.dihedral(im.crop(r.nextInt(im.height() - p + 1), r.nextInt(im.width() - p + 1), p, p), r.nextInt(8));
            Image small = shrink(clean, s);
            Image up = Resize.resize(small, p, p, s, s, Resize.Method.BICUBIC);
            float[] t = clean.data(), u = up.data();
            // the network's target: the clean patch minus the bicubic upscale of its small copy
            for (int k = 0; k < n; k++) target[b * n + k] = t[k] - u[k];
            System.arraycopy(small.data(), 0, in, b * nq, nq);
        }
        NDArray x = m.create(in, new Shape(cfg.batch(), c, q, q));
        NDArray y = m.create(target, new Shape(cfg.batch(), c, p, p));
        return TrainingSetup.descend(ctx, net.block(), new NDList(x), true, out -> RestoreTraining.loss(cfg.loss(), out, y, null), net.adam());
    }

    private SuperResolver resolver(NDManager manager) {
        return new SuperResolver(net.block(), net.meta(), manager, 512, 1);
    }

    @Override
    public Map<String, Float> validate(StepContext ctx) {
        if (validation.isEmpty()) return Map.of();
        int s = cfg.scale();
        double after = 0;
        SuperResolver sr = resolver(ctx.manager());
        for (int i = 0; i < validation.size(); i++) {
            after += Psnr.ofY(validation.get(i), sr.apply(validationInputs.get(i)).clip(), s);
        }
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("val_psnr_input", (float) bicubicPsnr);
        out.put("val_psnr", (float) (after / validation.size()));
        return out;
    }

    @Override
    public void writeSamples(StepContext ctx, Path file) throws IOException {
        if (validation.isEmpty()) return;
        int s = cfg.scale();
        Image clean = validation.get(0), small = validationInputs.get(0);
        Image bicubic = Resize.resize(small, clean.height(), clean.width(), s, s, Resize.Method.BICUBIC).clip();
        Image restored = resolver(ctx.manager()).apply(small).clip();
        TrainingSetup.writeStrip(file, ctx.step(), clean, "bicubic", bicubic, restored);
    }
}
