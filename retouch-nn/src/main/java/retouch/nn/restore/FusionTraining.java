package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import retouch.RetouchException;
import retouch.baseline.Bm3d;
import retouch.data.ImageFolder;
import retouch.degrade.GaussianNoise;
import retouch.image.AtomicFiles;
import retouch.image.Grids;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.nn.store.Architectures;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.Adam;
import retouch.nn.train.LrSchedule;
import retouch.nn.train.StepContext;
import retouch.nn.train.TrainContext;
import retouch.nn.train.TrainingTask;

/**
 * Trains the {@link FusionHead} of a gray FFDNet-style denoiser whose output is refined by BM3D's
 * Wiener stage; the network itself stays as it is. The head learns from whole-image results, not
 * patches: the Wiener stage matches blocks across a 39-pixel window, so its output on a patch
 * differs from its output on the photo. Before the first step every training image gets
 * {@code samplesPerImage} noise levels drawn from [sigmaLo, sigmaHi]; for each the noisy image,
 * the network's output and the Wiener output are computed once and kept (in memory and in the
 * run folder's {@value #CACHE}, so a resumed run skips this). Steps then train the head on random
 * patches of those, with flips and rotations. Validation: the held-out images (every
 * {@code valEvery}-th) at σ 15/25/50, the whole pipeline as {@code retouch restore} runs it.
 */
public final class FusionTraining implements TrainingTask {
    /** Where the computed training samples are kept in the run folder. */
    public static final String CACHE = "fusion-samples.bin";
    private static final String CACHE_MAGIC = "retouch-fusion-samples-1";
    private static final int[] VAL_SIGMAS = {15, 25, 50};

    /** Settings of one run; recorded in model.json. */
    public record Config(String from, int depth, int width, int patch, int batch, int samplesPerImage,
                         double sigmaLo, double sigmaHi, float lr, float lrMin, long steps, int valEvery, String dataDescription) {}

    /** One whole image: noisy, network output, Wiener output and clean planes (4×H×W), and its σ. */
    private record Sample(NDArray stack, float sigma) {}

    private final Config cfg;
    private final ImageFolder folder;
    private final List<Sample> pool = new ArrayList<>();
    private final List<Sample> validation = new ArrayList<>();
    private FfdNet block;
    private ModelMeta meta;
    private Adam adam;
    private BiConsumer<Long, Long> onSample = (done, total) -> {};

    public FusionTraining(Config cfg, ImageFolder folder) {
        this.cfg = cfg;
        this.folder = folder;
    }

    /**
     * Called after each computed sample with (done, total), e.g. to step a progress bar; not
     * called when a resumed run reads its samples back.
     */
    public FusionTraining onSample(BiConsumer<Long, Long> listener) {
        this.onSample = listener;
        return this;
    }

    @Override
    public void init(TrainContext ctx) throws IOException {
        try (LoadedModel start = ModelFile.load(cfg.from(), RestoreNets.FFDNET)) {
            ModelMeta s = start.meta();
            if (s.inputChannels() != 1 || !s.tasks().contains("denoise")) {
                throw new RetouchException(cfg.from() + " is a " + s.inputChannels() + "-channel " + String.join("/", s.tasks())
                        + " model; the fusion head is trained for a gray denoiser (e.g. denoise-gray)");
            }
            ModelMeta.Builder b = s.toBuilder();
            // the network's own provenance stays in model.json beside the head's (a start model
            // that already has a head carries it from its own start)
            boolean hadHead = ModelFile.hasFusionHead(s);
            if (!hadHead && s.command() != null) b.hyper("network_command", s.command());
            if (!hadHead && s.steps() != null) b.hyper("network_steps", s.steps());
            if (!hadHead && s.wallTimeSeconds() != null) b.hyper("network_wall_time_seconds", s.wallTimeSeconds());
            meta = b
                    .hyper("refine", "fusion")
                    .hyper("fusion_depth", cfg.depth())
                    .hyper("fusion_width", cfg.width())
                    .hyper("fusion_patch", cfg.patch())
                    .hyper("fusion_batch", cfg.batch())
                    .hyper("fusion_samples_per_image", cfg.samplesPerImage())
                    .hyper("fusion_sigma_range", List.of(cfg.sigmaLo(), cfg.sigmaHi()))
                    .hyper("fusion_lr", cfg.lr())
                    .hyper("fusion_network_from", cfg.from())
                    .trainingData(s.trainingData() + "; fusion head: " + cfg.dataDescription())
                    .metrics(Map.of())
                    .parameters(null)
                    .weightsSha256(null)
                    .weightsPrecision(null)
                    .build();
            block = (FfdNet) Architectures.buildInitialized(meta, ctx.manager());
            // the network's weights and BatchNorm statistics; the head keeps its zero start (also
            // when the start model has a head of its own: a new one is trained)
            ModelFile.copyParameters(((FfdNet) start.block()).body(), block.body());
        }
        adam = Adam.builder().optLearningRate(ctx.schedule(LrSchedule.cosine(cfg.lr(), cfg.lrMin(), cfg.steps()))).build(block.fusion());
        ctx.setModel(meta, block).addOptimizer("adam", adam);
        Path cache = ctx.runDir().resolve(CACHE);
        if (Files.isRegularFile(cache)) {
            readCache(cache, ctx.manager());
        } else {
            computeSamples(ctx);
            writeCache(cache);
        }
        if (pool.isEmpty()) throw new RetouchException(folder.root() + ": no training image is at least " + cfg.patch() + " pixels on each side");
    }

    private void computeSamples(TrainContext ctx) {
        SplittableRandom rng = new SplittableRandom(ctx.seed() * 7919L + 3);
        List<Integer> train = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < folder.size(); i++) (TrainingSetup.heldOut(i, cfg.valEvery()) ? held : train).add(i);
        long total = (long) train.size() * cfg.samplesPerImage() + held.size() * VAL_SIGMAS.length;
        long done = 0;
        try (Denoiser d = new Denoiser(block, meta, ctx.manager(), 256, true)) {
            for (int i : held) {
                Image clean = folder.read(i).withChannels(1);
                for (int sigma : VAL_SIGMAS) {
                    // the validation noise of DenoiseTraining, so figures compare with the network's
                    validation.add(sample(ctx.manager(), d, clean, sigma, new SplittableRandom(1000 + validation.size() / VAL_SIGMAS.length)));
                    done = report(++done, total);
                }
            }
            for (int i : train) {
                Image clean = folder.read(i).withChannels(1);
                if (clean.height() < cfg.patch() || clean.width() < cfg.patch()) continue;
                for (int k = 0; k < cfg.samplesPerImage(); k++) {
                    double sigma = cfg.sigmaLo() + rng.nextDouble() * (cfg.sigmaHi() - cfg.sigmaLo());
                    pool.add(sample(ctx.manager(), d, clean, sigma, rng.split()));
                    done = report(++done, total);
                }
            }
        }
    }

    private long report(long done, long total) {
        onSample.accept(done, total);
        return done;
    }

    private static Sample sample(NDManager manager, Denoiser d, Image clean, double sigma, SplittableRandom rng) {
        Image noisy = GaussianNoise.addNoise(clean, sigma, rng);
        Image pilot = d.denoiseWithNetwork(noisy, sigma).clip();
        Image wiener = Bm3d.refine(noisy, pilot, sigma);
        Image[] planes = {noisy, pilot, wiener, clean};
        int n = clean.pixels();
        float[] all = new float[planes.length * n];
        for (int k = 0; k < planes.length; k++) System.arraycopy(planes[k].data(), 0, all, k * n, n);
        return new Sample(manager.create(all, new Shape(planes.length, clean.height(), clean.width())), (float) sigma);
    }

    /** What the cached samples were computed with; a cache made with other settings is refused. */
    private String cacheKey() {
        return cfg.from() + " " + cfg.samplesPerImage() + " " + cfg.sigmaLo() + "-" + cfg.sigmaHi() + " " + cfg.valEvery();
    }

    private void writeCache(Path cache) {
        AtomicFiles.write(cache, os -> {
            DataOutputStream o = new DataOutputStream(new BufferedOutputStream(os, 1 << 20));
            o.writeUTF(CACHE_MAGIC);
            o.writeUTF(cacheKey());
            o.writeInt(validation.size());
            o.writeInt(pool.size());
            for (Sample s : validation) writeSample(o, s);
            for (Sample s : pool) writeSample(o, s);
            o.flush();
        });
    }

    private static void writeSample(DataOutputStream o, Sample s) throws IOException {
        Shape sh = s.stack().getShape();
        o.writeInt((int) sh.get(1));
        o.writeInt((int) sh.get(2));
        o.writeFloat(s.sigma());
        for (float v : s.stack().toFloatArray()) o.writeFloat(v);
    }

    private void readCache(Path cache, NDManager manager) throws IOException {
        try (InputStream is = Files.newInputStream(cache);
             DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 20))) {
            if (!CACHE_MAGIC.equals(in.readUTF()) || !cacheKey().equals(in.readUTF())) {
                throw new RetouchException(cache + " was computed for other settings; delete it to compute the samples again");
            }
            int nv = in.readInt(), np = in.readInt();
            for (int i = 0; i < nv; i++) validation.add(readSample(in, manager));
            for (int i = 0; i < np; i++) pool.add(readSample(in, manager));
        } catch (java.io.EOFException e) {
            throw new RetouchException(cache + " is truncated; delete it to compute the samples again");
        }
    }

    private static Sample readSample(DataInputStream in, NDManager manager) throws IOException {
        int h = in.readInt(), w = in.readInt();
        float sigma = in.readFloat();
        float[] d = new float[4 * h * w];
        for (int i = 0; i < d.length; i++) d[i] = in.readFloat();
        return new Sample(manager.create(d, new Shape(4, h, w)), sigma);
    }

    @Override
    public Map<String, Float> step(StepContext ctx) {
        NDManager m = ctx.manager();
        Random r = ctx.random();
        int p = cfg.patch();
        NDList crops = new NDList(cfg.batch());
        float[] levels = new float[cfg.batch()];
        for (int b = 0; b < cfg.batch(); b++) {
            Sample s = pool.get(r.nextInt(pool.size()));
            long h = s.stack().getShape().get(1), w = s.stack().getShape().get(2);
            int y = r.nextInt((int) (h - p + 1)), x = r.nextInt((int) (w - p + 1));
            NDArray crop = s.stack().get(new NDIndex(":, {}:{}, {}:{}", y, y + p, x, x + p));
            crop.attach(m);
            crops.add(DenoiseTraining.dihedral(crop, r.nextInt(8)));
            levels[b] = s.sigma() / 255f;
        }
        NDArray stack = NDArrays.stack(crops);
        NDList inputs = new NDList(stack.get(":, 0:3"), m.create(levels, new Shape(cfg.batch(), 1, 1, 1)));
        return TrainingSetup.descend(ctx, block.fusion(), inputs, true, out -> out.sub(stack.get(":, 3:4")).square().mean(), adam);
    }

    @Override
    public Map<String, Float> validate(StepContext ctx) {
        if (validation.isEmpty()) return Map.of();
        Map<String, double[]> sums = new LinkedHashMap<>();
        try (Denoiser d = new Denoiser(block, meta, ctx.manager(), 256, false)) {
            for (Sample s : validation) {
                Image[] planes = planes(s);
                Image fused = d.fuse(planes[0], planes[1], planes[2], s.sigma());
                int sigma = Math.round(s.sigma());
                double[] acc = sums.computeIfAbsent("val_psnr" + sigma, k -> new double[2]);
                acc[0] += Psnr.of(planes[3], fused);
                acc[1]++;
                double[] wiener = sums.computeIfAbsent("val_wiener_psnr" + sigma, k -> new double[2]);
                wiener[0] += Psnr.of(planes[3], planes[2]);
                wiener[1]++;
            }
        }
        Map<String, Float> out = new LinkedHashMap<>();
        sums.forEach((k, v) -> out.put(k, (float) (v[0] / v[1])));
        return out;
    }

    private static Image[] planes(Sample s) {
        int h = (int) s.stack().getShape().get(1), w = (int) s.stack().getShape().get(2), n = h * w;
        float[] all = s.stack().toFloatArray();
        Image[] out = new Image[4];
        for (int k = 0; k < 4; k++) out[k] = new Image(1, h, w, java.util.Arrays.copyOfRange(all, k * n, (k + 1) * n));
        return out;
    }

    @Override
    public void writeSamples(StepContext ctx, Path file) throws IOException {
        if (validation.isEmpty()) return;
        Sample s = validation.get(Math.min(1, validation.size() - 1));
        Image[] p = planes(s);
        Image fused;
        try (Denoiser d = new Denoiser(block, meta, ctx.manager(), 256, false)) {
            fused = d.fuse(p[0], p[1], p[2], s.sigma());
        }
        Grids.writeStrip(List.of(p[0].clip(), p[1], p[2], fused, p[3]),
                List.of(String.format("noisy σ%.0f %.2f dB", s.sigma(), Psnr.of(p[3], p[0].clip())),
                        String.format("network %.2f dB", Psnr.of(p[3], p[1])),
                        String.format("+ Wiener %.2f dB", Psnr.of(p[3], p[2])),
                        String.format("step %d fused %.2f dB", ctx.step(), Psnr.of(p[3], fused)), "clean"), file);
    }
}
