package retouch.nn.inpaint;

import retouch.restore.RestoreParams;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import retouch.RetouchException;
import retouch.baseline.ClassicalMethod;
import retouch.baseline.ClassicalMethods;
import retouch.data.PatchSampler;
import retouch.degrade.MaskDegradation;
import retouch.degrade.Masks;
import retouch.image.Grids;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.nn.gan.FrozenParameterStore;
import retouch.nn.gan.GanLoss;
import retouch.nn.restore.TaskDegradation;
import retouch.nn.store.Architectures;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.UNetGrayToColour;
import retouch.nn.train.Adam;
import retouch.nn.train.LrSchedule;
import retouch.nn.train.StartModel;
import retouch.nn.train.StepContext;
import retouch.nn.train.TrainContext;
import retouch.nn.train.TrainingTask;

/**
 * Trains a {@link UNet} for inpainting ({@code task = "inpaint"}) or deblurring
 * ({@code "deblur-gan"}), with a spectrally normalised {@link PatchDiscriminator} when
 * {@code advWeight > 0} (the GAN model) or with the reconstruction loss alone when it is 0 (the
 * ablation that shows what the discriminator adds).
 *
 * <p>Generator loss: L1 (or the squared error, {@code squaredError}), weighted {@code holeWeight}
 * inside the hole and 1 outside (pixels averaged over the image, as in Liu et al. 2018), plus
 * {@code advWeight} × the hinge generator loss on the composite (known pixels from the input, hole
 * pixels from the network — what the user gets). Discriminator: hinge loss, real images against
 * composites, with the mask as a second channel. Masks per sample: see {@link #trainingMask}; coverage
 * within [{@code minHole}, {@code maxHole}]; mask pictures numbered 4 mod 5 are kept out for evaluation.
 * Deblurring damages crops with {@link TaskDegradation} ("deblur": Gaussian and motion blur, mild
 * noise) and applies L1 and the adversarial loss to the whole image.
 *
 * <p>Validation each epoch on held-out images with fixed seeded masks (free-form strokes, thin strokes and blobs,
 * 10–30%): hole PSNR of the network and, computed once, of Telea; for deblurring, PSNR of the
 * input and the output.
 */
public final class InpaintTraining implements TrainingTask {

    /** Settings of one run; recorded in model.json. */
    public record Config(String task, int channels, int size, int levels, int width, int dWidth, float advWeight,
                         float holeWeight, double minHole, double maxHole, boolean dihedral, int batch, float lr,
                         float lrMin, long steps, String dataDescription, java.nio.file.Path maskDir, double grayFraction,
                         boolean squaredError, int bottomBlocks, BottomBlock.Kind bottomKind, float trainedLrScale) {

        /** Without residual blocks at the bottom. */
        public Config(String task, int channels, int size, int levels, int width, int dWidth, float advWeight,
                      float holeWeight, double minHole, double maxHole, boolean dihedral, int batch, float lr,
                      float lrMin, long steps, String dataDescription, java.nio.file.Path maskDir, double grayFraction,
                      boolean squaredError) {
            this(task, channels, size, levels, width, dWidth, advWeight, holeWeight, minHole, maxHole, dihedral, batch, lr,
                    lrMin, steps, dataDescription, maskDir, grayFraction, squaredError, 0, BottomBlock.Kind.FFC, 1f);
        }

        /** Colour runs see no crops turned gray. */
        public Config(String task, int channels, int size, int levels, int width, int dWidth, float advWeight,
                      float holeWeight, double minHole, double maxHole, boolean dihedral, int batch, float lr,
                      float lrMin, long steps, String dataDescription, java.nio.file.Path maskDir) {
            this(task, channels, size, levels, width, dWidth, advWeight, holeWeight, minHole, maxHole, dihedral, batch, lr,
                    lrMin, steps, dataDescription, maskDir, 0, false);
        }

        /** Without a folder of mask pictures. */
        public Config(String task, int channels, int size, int levels, int width, int dWidth, float advWeight,
                      float holeWeight, double minHole, double maxHole, boolean dihedral, int batch, float lr,
                      float lrMin, long steps, String dataDescription) {
            this(task, channels, size, levels, width, dWidth, advWeight, holeWeight, minHole, maxHole, dihedral, batch, lr,
                    lrMin, steps, dataDescription, null, 0, false);
        }

        boolean inpaint() {
            return task.equals("inpaint");
        }

        boolean adversarial() {
            return advWeight > 0;
        }
    }

    private final Config cfg;
    private final List<Image> pool;
    private final List<Image> validation;
    /** Validation masks of inpainting runs by family: free-form strokes (also the sample strips'), thin strokes, blobs. */
    private final MaskFamily freeForm = new MaskFamily("val_hole_psnr"), thin = new MaskFamily("val_thin_hole_psnr"),
            blobs = new MaskFamily("val_blob_hole_psnr");
    private final List<MaskFamily> families = List.of(freeForm, thin, blobs);
    /** The blurred validation inputs of deblurring runs. */
    private final List<Image> blurredInputs = new ArrayList<>();
    private final TaskDegradation blur;
    private retouch.degrade.MaskSet maskSet;
    private UNet g;
    private PatchDiscriminator d;
    private Adam adamG;
    private Adam adamD;
    private ModelMeta meta;

    /** {@code train}: images at least {@code size} on each side (crops are cut from them); {@code validation}: held out. */
    public InpaintTraining(Config cfg, List<Image> train, List<Image> validation) {
        if (!cfg.task().equals("inpaint") && !cfg.task().equals("deblur-gan")) {
            throw new RetouchException("unknown GAN restoration task '" + cfg.task() + "'; use inpaint or deblur-gan");
        }
        int multiple = 1 << cfg.levels();
        if (cfg.size() % multiple != 0 && cfg.size() % 4 != 0) {
            throw new RetouchException("--size " + cfg.size() + " must be a multiple of " + multiple + " for a U-Net with " + cfg.levels() + " levels");
        }
        this.cfg = cfg;
        this.pool = train.stream().filter(im -> im.height() >= cfg.size() && im.width() >= cfg.size())
                .map(im -> im.withChannels(cfg.channels())).toList();
        if (pool.isEmpty()) throw new RetouchException("no training image is at least " + cfg.size() + " pixels on each side");
        this.validation = validation.stream().map(im -> im.withChannels(cfg.channels())).toList();
        this.blur = cfg.inpaint() ? null : new TaskDegradation("deblur", 5);
        if (cfg.maskDir() != null) {
            // Masks numbered 4 mod 5 stay out of training, for evaluation (MaskSet.heldOut).
            this.maskSet = retouch.degrade.MaskSet.load(cfg.maskDir(), f -> !retouch.degrade.MaskSet.heldOut(f), 4 * cfg.size());
        }
    }

    /** Meta of the exported generator. */
    public ModelMeta meta() {
        ModelMeta.Builder b = ModelMeta.builder(UNet.ARCHITECTURE)
                .channels(cfg.channels(), cfg.channels())
                .hyper("levels", cfg.levels())
                .hyper("width", cfg.width());
        if (cfg.bottomBlocks() > 0) b.hyper("bottom_blocks", cfg.bottomBlocks()).hyper("bottom_kind", cfg.bottomKind().id());
        if (cfg.trainedLrScale() != 1f) b.hyper("trained_lr_scale", cfg.trainedLrScale());
        return b
                .hyper("mask", cfg.inpaint())
                .hyper("size", cfg.size())
                .hyper("adv_weight", cfg.advWeight())
                .hyper("adv_loss", cfg.adversarial() ? GanLoss.HINGE.id() : "none")
                .hyper("d_width", cfg.dWidth())
                .hyper("hole_weight", cfg.holeWeight())
                .hyper("hole_range", List.of(cfg.minHole(), cfg.maxHole()))
                .hyper("mask_mix", cfg.inpaint() ? MASK_MIX : "none")
                .hyper("gray_fraction", cfg.grayFraction())
                .hyper("reconstruction_loss", cfg.squaredError() ? "l2" : "l1")
                .hyper("mask_pictures", cfg.maskDir() == null ? "none" : cfg.maskDir().toString() + " (files numbered 4 mod 5 held out)")
                .hyper("batch", cfg.batch())
                .hyper("lr", cfg.lr())
                .hyper("lr_min", cfg.lrMin())
                .valueRange(0, 1)
                .tasks(cfg.task())
                .trainingData(cfg.dataDescription())
                .build();
    }

    private ModelMeta discriminatorMeta() {
        int strides = cfg.size() >= 64 ? 3 : 2;
        return ModelMeta.builder(PatchDiscriminator.ARCHITECTURE).channels(cfg.channels(), 1)
                .hyper("width", cfg.dWidth()).hyper("strides", strides).hyper("mask", cfg.inpaint()).build();
    }

    @Override
    public void init(TrainContext ctx) {
        meta = meta();
        NDManager m = ctx.manager();
        g = (UNet) Architectures.buildInitialized(meta, m);
        // Grown networks: the weights outside the bottom blocks were trained already and may learn more slowly.
        adamG = Adam.builder().optLearningRate(ctx.schedule(LrSchedule.cosine(cfg.lr(), cfg.lrMin(), cfg.steps())))
                .optLrScale(name -> !UNetGrowth.isBottomBlock(name), cfg.trainedLrScale())
                .optBeta1(0.5f).optBeta2(0.999f).build(g);
        ctx.setModel(meta, g).addOptimizer("adam_g", adamG);
        if (cfg.adversarial()) {
            d = (PatchDiscriminator) Architectures.buildInitialized(discriminatorMeta(), m);
            adamD = Adam.builder().optLearningRate(ctx.schedule(LrSchedule.cosine(cfg.lr(), cfg.lrMin(), cfg.steps())))
                    .optBeta1(0.5f).optBeta2(0.999f).build(d);
            ctx.addBlock("discriminator", d).addOptimizer("adam_d", adamD);
        }
        for (int i = 0; i < validation.size(); i++) {
            Image v = validation.get(i);
            SplittableRandom r = new SplittableRandom(1000 + i);
            if (cfg.inpaint()) {
                freeForm.add(v, Masks.freeForm(v.height(), v.width(), 0.1, 0.3, r));
                thin.add(v, Masks.freeForm(v.height(), v.width(), 0.1, 0.3, Masks.THIN_MIN_WIDTH, Masks.THIN_MAX_WIDTH, r));
                // Its own seed, so the free-form and thin masks stay those of runs made before blobs joined.
                blobs.add(v, Masks.blobs(v.height(), v.width(), 0.1, 0.3, new SplittableRandom(2000 + i)));
            } else {
                blurredInputs.add(blur.apply(v, r).input().clip());
            }
        }
    }

    /**
     * Starts from another inpainting U-Net: one of the same shape as it is (fine-tuning, e.g. with
     * another mask mix), or a gray one of the same levels and width expanded to RGB
     * ({@link UNetGrayToColour}). The discriminator always starts fresh.
     */
    @Override
    public String initialiseFrom(TrainContext ctx, StartModel start) {
        ModelMeta to = ctx.modelMeta();
        if (UNetGrayToColour.applies(start.meta(), to)) {
            try (LoadedModel gray = ModelFile.load(start.location(), null)) {
                byte[] weights = UNetGrayToColour.weights(gray.block(), to, ctx.manager());
                ModelFile.replaceParameters(ctx.model(), ctx.manager(), weights, to, start.location() + " (expanded to RGB)", true);
            }
            return start.name() + " (gray, expanded to RGB)";
        }
        ModelMeta from = start.meta();
        if (UNetGrowth.applies(from, to)) {
            try (LoadedModel trained = ModelFile.load(start.location(), null)) {
                UNetGrowth.copyInto(trained.block(), ctx.model());
            }
            return start.name() + " (" + from.intParam("bottom_blocks", 0) + " bottom blocks, grown to " + to.intParam("bottom_blocks", 0)
                    + " " + to.stringParam("bottom_kind", "ffc") + " blocks that start adding nothing)";
        }
        if (!from.architecture().equals(to.architecture()) || from.inputChannels() != to.inputChannels()
                || from.intParam("bottom_blocks", 0) != to.intParam("bottom_blocks", 0)
                || from.intParam("levels", 3) != to.intParam("levels", 3) || from.intParam("width", 32) != to.intParam("width", 32)) {
            throw new RetouchException("--init-from " + start.name() + ": that model is " + from.architecture() + " "
                    + from.inputChannels() + " channel(s), levels " + from.intParam("levels", 3) + ", width "
                    + from.intParam("width", 32) + ", " + from.intParam("bottom_blocks", 0) + " bottom blocks; this run builds "
                    + to.architecture() + " " + to.inputChannels() + " channel(s), levels " + to.intParam("levels", 3) + ", width "
                    + to.intParam("width", 32) + ", " + to.intParam("bottom_blocks", 0) + " bottom blocks (a gray inpainting U-Net may also"
                    + " start an RGB one of the same levels and width, or one with more --bottom-blocks)");
        }
        return start.loadInto(ctx);
    }

    /** The mix of training masks, recorded in model.json (see {@link #trainingMask}). */
    static final String MASK_MIX = "a quarter mask pictures (when given); of the rest 25% thin strokes 3-10 px, 30% free-form"
            + " strokes drawn for 1-2.5x the crop, 20% irregular blobs, 12.5% 1-3 boxes, 12.5% a centre box 25-60%";

    /**
     * A training mask for one crop: with a folder of mask pictures a quarter from it (irregular
     * blobs unlike brush strokes); of the rest 25 % thin strokes 3–10 px wide (scratches, wires,
     * blemishes), 30 % free-form brush strokes, 20 % irregular blobs ({@link Masks#blobs}: compact
     * holes over objects and stains, radii scaled as for a 1–2.5× larger photo), 12.5 % 1–3 boxes,
     * 12.5 % a centre box with sides 25–60 % of the crop.
     */
    Image trainingMask(int h, int w, SplittableRandom r) {
        double kind = r.nextDouble();
        if (maskSet != null) {
            if (kind < 0.25) {
                Image m = maskSet.draw(h, w, cfg.minHole(), cfg.maxHole(), r);
                if (m != null) return m;
            }
            kind = r.nextDouble();
        }
        if (kind < 0.25) return Masks.freeForm(h, w, cfg.minHole(), Math.min(cfg.maxHole(), 0.35), Masks.THIN_MIN_WIDTH, Masks.THIN_MAX_WIDTH, r);
        if (kind < 0.55) return scaledFreeForm(h, w, r);
        if (kind < 0.75) {
            double k = (1 + 1.5 * r.nextDouble()) * Math.min(h, w) / 256.0;
            return Masks.blobs(h, w, cfg.minHole(), cfg.maxHole(), Math.max(2, Masks.BLOB_MIN_RADIUS * k), Math.max(2, Masks.BLOB_MAX_RADIUS * k), r);
        }
        if (kind < 0.875) return Masks.randomBoxes(h, w, 1 + r.nextInt(3), cfg.minHole(), cfg.maxHole(), r);
        double side = 0.25 + 0.35 * r.nextDouble();
        return Masks.centerBox(h, w, side);
    }

    /**
     * Free-form strokes drawn for a larger image (1 to 2.5 times the crop) and cropped: brush widths
     * scale with the image they are drawn for, and users' photos are larger than training crops,
     * so strokes as wide as theirs must appear in training too.
     */
    private Image scaledFreeForm(int h, int w, SplittableRandom r) {
        for (int attempt = 0; attempt < 10; attempt++) {
            double k = 1 + 1.5 * r.nextDouble();
            int bh = (int) Math.round(h * k), bw = (int) Math.round(w * k);
            Image big = Masks.freeForm(bh, bw, cfg.minHole(), cfg.maxHole(), r);
            Image m = big.crop(r.nextInt(bh - h + 1), r.nextInt(bw - w + 1), h, w);
            double c = Masks.coverage(m);
            if (c >= cfg.minHole() && c <= cfg.maxHole()) return m;
        }
        return Masks.freeForm(h, w, cfg.minHole(), cfg.maxHole(), r);
    }

    @Override
    public Map<String, Float> step(StepContext ctx) {
        NDManager m = ctx.manager();
        Random r = ctx.random();
        SplittableRandom maskRng = new SplittableRandom(r.nextLong());
        int s = cfg.size(), c = cfg.channels(), n = s * s * c, b = cfg.batch();
        float[] clean = new float[b * n];
        float[] input = new float[b * n];
        float[] masks = cfg.inpaint() ? new float[b * s * s] : null;
        for (int i = 0; i < b; i++) {
            Image im = pool.get(r.nextInt(pool.size()));
            Image crop = im.crop(r.nextInt(im.height() - s + 1), r.nextInt(im.width() - s + 1), s, s);
            if (cfg.dihedral()) crop = PatchSampler.dihedral(crop, r.nextInt(8));
            else if (r.nextBoolean()) crop = PatchSampler.dihedral(crop, 4); // mirror only, for upright objects
            // Some colour crops turned gray: one RGB model then serves gray photos as well (R = G = B in, out).
            if (c == 3 && cfg.grayFraction() > 0 && r.nextDouble() < cfg.grayFraction()) crop = crop.toGray().withChannels(3);
            System.arraycopy(crop.data(), 0, clean, i * n, n);
            if (cfg.inpaint()) {
                Image mask = trainingMask(s, s, maskRng);
                System.arraycopy(mask.data(), 0, masks, i * s * s, s * s);
                System.arraycopy(crop.data(), 0, input, i * n, n);
            } else {
                System.arraycopy(blur.apply(crop, maskRng).input().clip().data(), 0, input, i * n, n);
            }
        }
        NDArray y = m.create(clean, new Shape(b, c, s, s));
        NDArray x = m.create(input, new Shape(b, c, s, s));
        NDArray mask = cfg.inpaint() ? m.create(masks, new Shape(b, 1, s, s)) : null;
        ParameterStore ps = ctx.parameterStore();
        Map<String, Float> out = new LinkedHashMap<>();

        NDArray fakeForD = null;
        if (cfg.adversarial()) {
            NDArray fake = composite(g.forward(ps, inputs(x, mask), true).singletonOrThrow(), y, mask).stopGradient();
            try (GradientCollector gc = ctx.newGradientCollector()) {
                NDArray real = d.forward(ps, inputs(y, mask), true).singletonOrThrow();
                NDArray sFake = d.forward(ps, inputs(fake, mask), true).singletonOrThrow();
                NDArray l = GanLoss.HINGE.discriminator(real, sFake);
                gc.backward(l);
                out.put("loss_d", l.getFloat());
                out.put("d_real", real.mean().getFloat());
                out.put("d_fake", sFake.mean().getFloat());
            }
            adamD.update();
            fakeForD = fake;
        }
        try (GradientCollector gc = ctx.newGradientCollector()) {
            NDArray pred = g.forward(ps, inputs(x, mask), true).singletonOrThrow();
            // L2 fits the mean fill, which is what hole PSNR rewards; L1 the median, which keeps fills sharper
            NDArray err = cfg.squaredError() ? pred.sub(y).square() : pred.sub(y).abs();
            NDArray rec;
            if (cfg.inpaint()) {
                NDArray holes = err.mul(mask).mean();
                NDArray known = err.mul(mask.neg().add(1f)).mean();
                rec = holes.mul(cfg.holeWeight()).add(known);
                out.put(cfg.squaredError() ? "l2_hole" : "l1_hole", holes.getFloat());
            } else {
                rec = err.mean();
            }
            NDArray l = rec;
            if (cfg.adversarial()) {
                NDArray score = d.forward(new FrozenParameterStore(m), inputs(composite(pred, y, mask), mask), true).singletonOrThrow();
                NDArray adv = GanLoss.HINGE.generator(score);
                l = l.add(adv.mul(cfg.advWeight()));
                out.put("loss_adv", adv.getFloat());
            }
            gc.backward(l);
            out.put("loss", l.getFloat());
            out.put(cfg.squaredError() ? "l2" : "l1", rec.getFloat());
        }
        adamG.update();
        if (adamD != null) adamD.zeroGradients(); // the G pass must not leak into D's next update
        out.put("lr", adamG.lastLearningRate());
        return out;
    }

    private static NDList inputs(NDArray x, NDArray mask) {
        return mask == null ? new NDList(x) : new NDList(x, mask);
    }

    /**
     * What the discriminator judges: known pixels from the clean image, hole pixels from the
     * prediction (the whole prediction without a mask), clipped to [0,1] as users get it. The clip
     * matters: with the raw output a run diverged (hole L1 0.03 -> 22 in 80 steps) because the
     * generator pushed hole pixels far outside the image range, where the Lipschitz but unbounded
     * discriminator scored them ever higher; clipped, such pixels get no adversarial gradient and L1
     * pulls them back.
     */
    private static NDArray composite(NDArray pred, NDArray clean, NDArray mask) {
        NDArray c = mask == null ? pred : pred.mul(mask).add(clean.mul(mask.neg().add(1f)));
        return c.clip(0f, 1f);
    }

    private Inpainter inpainter(StepContext ctx) {
        return new Inpainter(g, meta, ctx.manager(), 256);
    }

    private Image restore(Inpainter ip, int i) {
        return cfg.inpaint() ? ip.inpaint(freeForm.inputs.get(i), freeForm.masks.get(i)) : ip.restore(blurredInputs.get(i));
    }

    @Override
    public Map<String, Float> validate(StepContext ctx) {
        if (validation.isEmpty()) return Map.of();
        Inpainter ip = inpainter(ctx);
        int k = validation.size();
        Map<String, Float> out = new LinkedHashMap<>();
        if (!cfg.inpaint()) {
            double sum = 0, base = 0;
            for (int i = 0; i < k; i++) {
                sum += Psnr.of(validation.get(i), restore(ip, i));
                base += Psnr.of(validation.get(i), blurredInputs.get(i));
            }
            out.put("val_psnr", (float) (sum / k));
            out.put("val_psnr_input", (float) (base / k));
            return out;
        }
        // Telea's figures do not change during a run: measured at the first validation only
        ClassicalMethod telea = Double.isNaN(freeForm.telea) ? ClassicalMethods.byName("telea") : null;
        for (MaskFamily f : families) {
            double sum = 0, base = 0;
            for (int i = 0; i < k; i++) {
                Image clean = validation.get(i), mask = f.masks.get(i);
                sum += Psnr.inMask(clean, ip.inpaint(f.inputs.get(i), mask), mask);
                if (telea != null) base += Psnr.inMask(clean, telea.apply(f.inputs.get(i), RestoreParams.defaults().withMask(mask)), mask);
            }
            if (telea != null) f.telea = base / k;
            out.put(f.metric, (float) (sum / k));
            out.put(f.metric + "_telea", (float) f.telea);
        }
        return out;
    }

    /** One family of validation masks: a seeded mask and the masked input per held-out image, and Telea's hole PSNR on them. */
    private static final class MaskFamily {
        final String metric;
        final List<Image> masks = new ArrayList<>();
        final List<Image> inputs = new ArrayList<>();
        double telea = Double.NaN;

        MaskFamily(String metric) {
            this.metric = metric;
        }

        void add(Image clean, Image mask) {
            masks.add(mask);
            inputs.add(MaskDegradation.applyMask(clean, mask, 0f));
        }
    }

    @Override
    public void writeSamples(StepContext ctx, Path file) throws IOException {
        if (validation.isEmpty()) return;
        Inpainter ip = inpainter(ctx);
        List<Image> panels = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < Math.min(3, validation.size()); i++) {
            Image clean = validation.get(i);
            Image restored = restore(ip, i);
            Image input = cfg.inpaint() ? freeForm.inputs.get(i) : blurredInputs.get(i);
            panels.add(input);
            captions.add(cfg.inpaint() ? "input" : String.format("input %.2f dB", Psnr.of(clean, input)));
            panels.add(restored);
            captions.add(cfg.inpaint()
                    ? String.format("step %d hole %.2f dB", ctx.step(), Psnr.inMask(clean, restored, freeForm.masks.get(i)))
                    : String.format("step %d %.2f dB", ctx.step(), Psnr.of(clean, restored)));
            panels.add(clean);
            captions.add("clean");
        }
        Grids.writeStrip(panels, captions, file);
    }
}
