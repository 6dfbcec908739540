package retouch.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.nn.Engines;
import retouch.nn.blocks.FoldedConvStack;
import retouch.nn.restore.DenoiseTraining;
import retouch.nn.restore.DnCnn;
import retouch.nn.restore.FfdNet;
import retouch.nn.restore.RestoreNets;
import retouch.nn.store.Architectures;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.Adam;

/**
 * {@code retouch bench restore}: training patches/s and 512² inference time of a restoration
 * network on random data, printed as one JSON line in the same shape as the PyTorch reference
 * {@code bench/peers/restore_nets.py}, so bench/restore-bench.sh can put the two side by side.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure training throughput and inference time of a restoration network on random data",
                "(same settings as bench/peers/restore_nets.py; see bench/restore-bench.sh)."},
        footer = {"%nExample:", "  retouch bench --arch ffdnet --batch 32 --patch 64 --steps 20", ExitCodes.HELP_FOOTER})
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--arch", defaultValue = "ffdnet") String arch;
    @Option(names = "--depth", defaultValue = "15") int depth;
    @Option(names = "--width", defaultValue = "64") int width;
    @Option(names = "--channels", defaultValue = "1") int channels;
    @Option(names = "--batch", defaultValue = "32") int batch;
    @Option(names = "--patch", defaultValue = "64") int patch;
    @Option(names = "--steps", defaultValue = "20") int steps;
    @Option(names = "--warmup", defaultValue = "3") int warmup;
    @Option(names = "--infer-size", defaultValue = "512") int inferSize;
    @Option(names = "--infer-runs", defaultValue = "5") int inferRuns;
    @Option(names = "--no-fold", description = "Time inference through the training graph (BatchNorm not folded).") boolean noFold;

    private static NDArray inStep(NDArray a, NDManager m) {
        NDArray c = a.duplicate();
        c.attach(m);
        return c;
    }

    @Override
    public Integer call() {
        var engine = Engines.init();
        ModelMeta meta = DenoiseTraining.meta(new DenoiseTraining.Config(arch, channels, depth, width, patch, batch, 0, 55,
                1e-4f, 1e-4f, steps, "l2", 0, "random"));
        Map<String, Object> r = new LinkedHashMap<>();
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
                r.put("engine", "retouch djl " + ai.djl.engine.Engine.getDjlVersion() + " / pytorch " + engine.getVersion());
                r.put("arch", arch);
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
        spec.commandLine().getOut().println(Json.write(r).replaceAll("\\s*\\n\\s*", " "));
        return ExitCodes.OK;
    }
}
