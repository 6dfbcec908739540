package retouch.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.data.Datasets;
import retouch.data.LabeledImages;
import retouch.nn.Engines;
import retouch.nn.blocks.FoldedConvStack;
import retouch.nn.gan.DcganDiscriminator;
import retouch.nn.gan.GanData;
import retouch.nn.gan.GanLoss;
import retouch.nn.gan.GanTraining;
import retouch.nn.restore.DenoiseTraining;
import retouch.nn.restore.DnCnn;
import retouch.nn.restore.FfdNet;
import retouch.nn.restore.RestoreNets;
import retouch.nn.store.Architectures;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.AtomicFiles;
import retouch.nn.train.Adam;
import retouch.nn.train.StepContext;
import retouch.nn.train.TrainContext;
import retouch.nn.train.Trainer;
import retouch.nn.train.TrainingTask;
import retouch.nn.vae.Likelihood;
import retouch.nn.vae.VaeTraining;

/**
 * {@code retouch bench}: training throughput of a network on fixed-shape data, printed as one JSON
 * line in the same shape as its PyTorch reference, so a script can put the two side by side.
 *
 * <ul>
 *   <li>Restoration ({@code --arch ffdnet|dncnn}, bench/peers/restore_nets.py,
 *       bench/restore-bench.sh): training patches/s on random data and median 512² inference time.</li>
 *   <li>Synthesis ({@code --arch vae|cvae|dcgan|cdcgan}, bench/peers/vae.py and dcgan.py,
 *       bench/synth-bench.sh): training images/s of {@link VaeTraining} / {@link GanTraining}
 *       steps run by the shared {@link Trainer} (per-step memory scope, seeding and logging
 *       included, as in {@code retouch train}), timed after {@code --warmup} steps.</li>
 * </ul>
 */
// Help texts: src/main/resources/retouch/cli/BenchCommand.properties
@Command(name = "bench", resourceBundle = "retouch.cli.BenchCommand", mixinStandardHelpOptions = true)
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--arch", defaultValue = "ffdnet") String arch;
    @Option(names = "--depth", defaultValue = "15") int depth;
    @Option(names = "--width") Integer width;
    @Option(names = "--channels", defaultValue = "1") int channels;
    @Option(names = "--batch") Integer batch;
    @Option(names = "--patch", defaultValue = "64") int patch;
    @Option(names = "--steps") Integer steps;
    @Option(names = "--warmup") Integer warmup;
    @Option(names = "--infer-size", defaultValue = "512") int inferSize;
    @Option(names = "--profile") Path profile;
    @Option(names = "--infer-runs", defaultValue = "5") int inferRuns;
    @Option(names = "--no-fold") boolean noFold;
    @Option(names = "--latent") Integer latent;
    @Option(names = "--g-width", defaultValue = "16") int gWidth;
    @Option(names = "--d-width", defaultValue = "16") int dWidth;
    @Option(names = "--no-binarize") boolean noBinarize;
    @Option(names = "--data", defaultValue = "fashion-mnist") String data;
    @Option(names = "--size", defaultValue = "28") int size;

    private static NDArray inStep(NDArray a, NDManager m) {
        NDArray c = a.duplicate();
        c.attach(m);
        return c;
    }

    @Override
    public Integer call() throws IOException {
        Map<String, Object> r = switch (arch) {
            case "vae", "cvae" -> benchVae();
            case "dcgan", "cdcgan" -> benchGan();
            case "ffdnet", "dncnn" -> benchRestore();
            default -> throw new RetouchException("unknown --arch '" + arch + "'; choose ffdnet, dncnn, vae, cvae, dcgan or cdcgan");
        };
        spec.commandLine().getOut().println(Json.write(r).replaceAll("\\s*\\n\\s*", " "));
        return ExitCodes.OK;
    }

    private Map<String, Object> benchRestore() {
        int width = orDefault(this.width, 64), batch = orDefault(this.batch, 32);
        int steps = orDefault(this.steps, 20), warmup = warmupOrDefault(this.warmup, 3);
        var engine = Engines.init();
        ModelMeta meta = DenoiseTraining.meta(new DenoiseTraining.Config(arch, channels, depth, width, patch, batch, 0, 55,
                1e-4f, 1e-4f, steps, "l2", 0, "random"));
        Map<String, Object> r = resultHead();
        try (NDManager root = engine.newBaseManager()) {
            engine.setRandomSeed(0);
            Block block = Architectures.buildInitialized(meta, root);
            try (Adam adam = Adam.builder().optLearningRate(1e-4f).build(block)) {
                NDArray x = root.randomUniform(0f, 1f, new Shape(batch, channels, patch, patch));
                NDArray level = root.randomUniform(0f, 55f / 255f, new Shape(batch, 1, 1, 1));
                NDArray y = x.add(root.randomNormal(x.getShape()).mul(level));
                long t0 = 0;
                for (int i = 0; i < warmup + steps; i++) {
                    if (i == warmup) t0 = System.nanoTime();
                    try (NDManager m = root.newSubManager()) {
                        // Results of an op live in its input's manager: inputs in the step's manager
                        // make every intermediate freed with it, as in the trainer.
                        NDList in = RestoreNets.takesLevel(arch) ? new NDList(inStep(y, m), inStep(level, m)) : new NDList(inStep(y, m));
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray out = block.forward(new ParameterStore(m, false), in, true).singletonOrThrow();
                            NDArray loss = out.sub(x).square().mean();
                            gc.backward(loss);
                        }
                        adam.update();
                    }
                }
                double trainS = (System.nanoTime() - t0) / 1e9;
                // Inference as 'retouch restore' runs it: BatchNorm folded into the convolutions.
                FoldedConvStack folded = noFold ? null
                        : FoldedConvStack.fold(block instanceof FfdNet f ? f.body() : ((DnCnn) block).body(), root);
                List<Double> times = new ArrayList<>();
                NDArray img = root.randomUniform(0f, 1f, new Shape(1, channels, inferSize, inferSize));
                NDArray lv = root.create(new float[] {25f / 255f}, new Shape(1, 1, 1, 1));
                for (int i = 0; i <= inferRuns; i++) {
                    try (NDManager m = root.newSubManager()) {
                        long t = System.nanoTime();
                        NDList in = RestoreNets.takesLevel(arch) ? new NDList(inStep(img, m), inStep(lv, m)) : new NDList(inStep(img, m));
                        NDArray out = folded == null ? block.forward(new ParameterStore(m, false), in, false).singletonOrThrow()
                                : block instanceof FfdNet f ? f.apply(in, folded::forward) : ((DnCnn) block).apply(in, folded::forward);
                        out.toFloatArray();
                        if (i > 0) times.add((System.nanoTime() - t) / 1e6);
                    }
                }
                Collections.sort(times);
                r.put("depth", depth);
                r.put("width", width);
                r.put("batch", batch);
                r.put("patch", patch);
                r.put("threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
                r.put("train_patches_per_s", batch * steps / trainS);
                r.put("infer_ms_median", times.get(times.size() / 2));
                r.put("inference_graph", folded == null ? "training graph" : "BatchNorm folded");
                if (folded != null) folded.close();
            }
        }
        return r;
    }

    private Map<String, Object> benchVae() throws IOException {
        int latent = orDefault(this.latent, 32), width = orDefault(this.width, 32), batch = orDefault(this.batch, 128);
        int steps = orDefault(this.steps, 30), warmup = warmupOrDefault(this.warmup, 5);
        boolean conditional = arch.equals("cvae");
        var engine = Engines.init();
        LabeledImages images = synthImages();
        // The settings of the shipped runs (retouch train vae --binarize): Bernoulli likelihood, β = 1,
        // Adam with a cosine schedule from 1e-3 to 1e-5.
        VaeTraining task = new VaeTraining(new VaeTraining.Config(conditional, latent, width, Likelihood.BERNOULLI, !noBinarize,
                1f, 0, batch, 1e-3f, 1e-5f, warmup + steps, 500, "retouch bench: " + data), images);
        long params;
        try (NDManager m = engine.newBaseManager()) {
            params = trainableParameters(Architectures.buildInitialized(task.meta(), m));
        }
        Timed timed = time(task, warmup, steps);
        Map<String, Object> r = resultHead();
        r.put("latent", latent);
        r.put("width", width);
        putRun(r, batch, images.h(), steps);
        r.put("binarized", !noBinarize);
        putThroughput(r, batch, steps, timed);
        r.put("params", params);
        r.put("loss", timed.lastMetrics.get("loss"));
        return r;
    }

    private Map<String, Object> benchGan() throws IOException {
        int latent = orDefault(this.latent, 64), batch = orDefault(this.batch, 64);
        int steps = orDefault(this.steps, 30), warmup = warmupOrDefault(this.warmup, 5);
        boolean conditional = arch.equals("cdcgan");
        GanData gd = ganData();
        var engine = Engines.init();
        // The settings of the shipped runs (retouch train gan|cgan --g-width 16 --d-width 16): hinge
        // loss, one D step per G step, TTUR learning rates, Adam betas (0, 0.9), EMA 0.999.
        GanTraining task = new GanTraining(new GanTraining.Config(gd.channels(), gd.imageSize(), conditional, latent, gWidth, dWidth,
                GanLoss.HINGE, 1, 1e-4f, 4e-4f, 0f, 0.9f, batch, warmup + steps, 0.999f, 0, "retouch bench: " + data), gd, null);
        long gParams, dParams;
        try (NDManager m = engine.newBaseManager()) {
            gParams = trainableParameters(Architectures.buildInitialized(task.meta(), m));
            ModelMeta dMeta = ModelMeta.builder(DcganDiscriminator.ARCHITECTURE).channels(gd.channels(), 1)
                    .hyper("size", gd.imageSize()).hyper("width", dWidth)
                    .hyper("classes", conditional ? gd.classNames().size() : 0).build();
            dParams = trainableParameters(Architectures.buildInitialized(dMeta, m));
        }
        Timed timed = time(task, warmup, steps);
        Map<String, Object> r = resultHead();
        r.put("latent", latent);
        r.put("g_width", gWidth);
        r.put("d_width", dWidth);
        putRun(r, batch, gd.imageSize(), steps);
        r.put("channels", gd.channels());
        putThroughput(r, batch, steps, timed);
        r.put("g_params", gParams);
        r.put("d_params", dParams);
        r.put("loss_d", timed.lastMetrics.get("loss_d"));
        r.put("loss_g", timed.lastMetrics.get("loss_g"));
        return r;
    }

    /** The start of every bench line: engine versions and --arch. */
    private Map<String, Object> resultHead() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("engine", engineName());
        r.put("arch", arch);
        return r;
    }

    /** A synthesis bench's run: images per step, image side, timed steps and data. */
    private void putRun(Map<String, Object> r, int batch, int size, int steps) {
        r.put("batch", batch);
        r.put("size", size);
        r.put("steps", steps);
        r.put("data", data);
    }

    /** Threads and the throughput of {@code batch}-image steps over the timed {@code steps}. */
    private static void putThroughput(Map<String, Object> r, int batch, int steps, Timed timed) {
        r.put("threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
        r.put("images_per_s", batch * steps / timed.seconds());
        r.put("step_ms", timed.seconds() * 1000 / steps);
        // On a shared machine wall time depends on what else runs; CPU time much less so.
        r.put("images_per_cpu_s", batch * steps / timed.cpuSeconds());
    }

    /** {@code v}, or {@code dflt} when the option was not given; warm-up may be 0, the rest must be positive. */
    private static int orDefault(Integer v, int dflt) {
        if (v != null && v < 1) throw new RetouchException("--width, --batch, --steps and --latent must be positive, got " + v);
        return v == null ? dflt : v;
    }

    private static int warmupOrDefault(Integer v, int dflt) {
        if (v != null && v < 0) throw new RetouchException("--warmup cannot be negative, got " + v);
        return v == null ? dflt : v;
    }

    private static String engineName() {
        return "retouch djl " + ai.djl.engine.Engine.getDjlVersion() + " / pytorch " + Engines.init().getVersion();
    }

    /**
     * The GAN's real images: {@link #synthImages()} at 28x28 gray; at the DCGAN's other sizes or
     * with 3 channels, 10,000 uniform-noise images of that shape (throughput does not depend on content).
     */
    private GanData ganData() {
        if (size != 28 && size != 32 && size != 64) throw new RetouchException("--size must be 28, 32 or 64 (the DCGAN's sizes), got " + size);
        if (channels != 1 && channels != 3) throw new RetouchException("--channels must be 1 or 3, got " + channels);
        if (size == 28 && channels == 1) return GanData.of(synthImages());
        if (!data.equals("random")) throw new RetouchException("--size " + size + " / --channels " + channels + " need --data random");
        if (arch.equals("cdcgan")) throw new RetouchException("--arch cdcgan benches 28x28 labeled data only");
        Random rnd = new Random(0);
        int n = 10_000;
        float[] px = new float[n * channels * size * size];
        for (int i = 0; i < px.length; i++) px[i] = rnd.nextFloat();
        return GanData.of(new retouch.data.SquareImages(px, n, channels, size));
    }

    /** Fashion-MNIST's training split, or as many uniform-noise images of its shape (labels uniform too). */
    private LabeledImages synthImages() {
        if (data.equals("random")) {
            Random rnd = new Random(0);
            int n = 10_000;
            byte[] px = new byte[n * 28 * 28];
            rnd.nextBytes(px);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) y[i] = rnd.nextInt(10);
            return new LabeledImages(px, n, 28, 28, y, Datasets.FASHION_CLASSES);
        }
        var ds = Datasets.resolve(data, null);
        if (!ds.isLabeled()) throw new RetouchException("--data " + data + " is not a labeled MNIST-style set; use fashion-mnist, mnist or random");
        return ds.train();
    }

    /** Number of trainable weights (PyTorch's {@code parameters()}: no BatchNorm statistics, no power-iteration vectors). */
    private static long trainableParameters(Block block) {
        long n = 0;
        for (ai.djl.nn.Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) n += p.getArray().size();
        }
        return n;
    }

    /**
     * Runs {@code warmup + steps} steps of {@code task} with the shared trainer in a temporary run
     * folder (quiet, no checkpoint until the end) and times the last {@code steps}: from the start
     * of the first timed step to the end of the last, so the trainer's work between steps counts.
     */
    private Timed time(TrainingTask task, int warmup, int steps) throws IOException {
        Timed t = new Timed(task, warmup + 1L, (long) warmup + steps, profile);
        Path dir = Files.createTempDirectory("retouch-bench-");
        try {
            Trainer.builder().setRunDir(dir).setSteps(warmup + steps).optCheckpointEvery(0).optResume(false)
                    .optQuiet(true).optShutdownHook(false).build().fit(t);
        } finally {
            AtomicFiles.deleteRecursively(dir);
        }
        return t;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** A task that notes when its timed steps start and end (wall clock and process CPU time). */
    private static final class Timed implements TrainingTask {
        private final TrainingTask task;
        private final long first;
        private final long last;
        private long t0;
        private long t1;
        private long cpu0;
        private long cpu1;
        private Map<String, Float> lastMetrics = Map.of();
        private final Path profile;

        Timed(TrainingTask task, long first, long last, Path profile) {
            this.task = task;
            this.profile = profile;
            this.first = first;
            this.last = last;
        }

        double seconds() {
            return (t1 - t0) / 1e9;
        }

        /** CPU seconds the whole process used over the timed steps (all threads). */
        double cpuSeconds() {
            return (cpu1 - cpu0) / 1e9;
        }

        @Override
        public void init(TrainContext ctx) throws IOException {
            task.init(ctx);
        }

        @Override
        public Map<String, Float> step(StepContext ctx) {
            if (ctx.step() == first) {
                if (profile != null) ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
                cpu0 = processCpuNanos();
                t0 = System.nanoTime();
            }
            Map<String, Float> m = task.step(ctx);
            if (ctx.step() == last) {
                t1 = System.nanoTime();
                cpu1 = processCpuNanos();
                lastMetrics = m;
                if (profile != null) ai.djl.pytorch.jni.JniUtils.stopProfile(profile.toAbsolutePath().toString());
            }
            return m;
        }
    }
}

