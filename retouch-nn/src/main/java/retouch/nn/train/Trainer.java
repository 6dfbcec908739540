package retouch.nn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import retouch.RetouchException;
import retouch.nn.Engines;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;

/**
 * The one training loop every Retouch model uses. It owns what is easy to get wrong in DJL: a
 * child {@code NDManager} per step, gradient clearing (via {@link Adam}), and reproducibility:
 * every step's randomness is derived from (seed, step), and checkpoints hold the weights, the
 * optimiser moments and the step count, so a resumed run ends with the same weights as an
 * uninterrupted one.
 *
 * <p>A run folder holds {@code checkpoint/} (a valid model file plus trainer state, replaced
 * atomically by {@code Checkpoints}), {@code train.csv}, {@code loss.png} and {@code samples/}.
 * Checkpoints are written every {@code checkpointEvery} steps, at the end, and when the JVM is
 * asked to stop (Ctrl-C): the shutdown hook lets the current step finish and the checkpoint be
 * written before the JVM exits. Starting a trainer on a folder with a checkpoint resumes it
 * (using the checkpoint's seed).
 *
 * <pre>{@code
 * Trainer.Result r = Trainer.builder().setRunDir(dir).setSteps(10_000).optSeed(1)
 *         .optCheckpointEvery(500).optExport(Path.of("models/mine")).build().fit(task);
 * }</pre>
 */
public final class Trainer {

    /** Checkpoint folder name inside the run folder. */
    public static final String CHECKPOINT = "checkpoint";
    /** Log file name inside the run folder. */
    public static final String LOG_CSV = "train.csv";
    /** Curve plot name inside the run folder. */
    public static final String CURVE_PNG = "loss.png";

    private final Path runDir;
    private final long steps;
    private final long seed;
    private final long checkpointEvery;
    private final long logEvery;
    private final long validateEvery;
    private final long sampleEvery;
    private final long stopAt;
    private final long rampFrom;
    private final long rampSteps;
    private final String initFrom;
    private final boolean resume;
    private final boolean quiet;
    private final boolean shutdownHook;
    private final String command;
    private final Path export;
    private final PrintStream err;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    /** With RETOUCH_DEBUG_ARRAYS set, each step prints how many arrays the long-lived manager holds (leak hunting). */
    private static final boolean DEBUG_ARRAYS = System.getenv("RETOUCH_DEBUG_ARRAYS") != null;

    /** Resources (arrays, sub-managers) held by {@code m} and its sub-managers, via DJL's internal map. */
    static int resourceCount(NDManager m) {
        try {
            java.lang.reflect.Field f = ai.djl.ndarray.BaseNDManager.class.getDeclaredField("resources");
            f.setAccessible(true);
            Map<?, ?> res = (Map<?, ?>) f.get(m);
            int n = 0;
            for (Object o : res.values()) n += o instanceof NDManager sub ? 1 + resourceCount(sub) : 1;
            return n;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private Trainer(Builder b) {
        runDir = b.runDir.toAbsolutePath().normalize();
        steps = b.steps;
        seed = b.seed;
        checkpointEvery = b.checkpointEvery;
        logEvery = b.logEvery;
        validateEvery = b.validateEvery;
        sampleEvery = b.sampleEvery;
        stopAt = b.stopAt;
        rampFrom = b.rampFrom;
        rampSteps = b.rampSteps;
        initFrom = b.initFrom;
        resume = b.resume;
        quiet = b.quiet;
        shutdownHook = b.shutdownHook;
        command = b.command;
        export = b.export;
        err = System.err;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Asks a running {@link #fit} to stop after the current step and write a checkpoint. */
    public void requestStop() {
        stopRequested.set(true);
    }

    /**
     * The outcome of {@link #fit}.
     *
     * @param step last completed step
     * @param completed whether the run reached its total step count
     * @param resumedFrom the step the run resumed from (0 for a fresh run)
     * @param wallSeconds training wall time including earlier sessions
     * @param lastMetrics metrics of the last step (and last validation)
     * @param checkpoint the checkpoint folder (a model file)
     * @param meta the model meta written with the last checkpoint
     */
    public record Result(long step, boolean completed, long resumedFrom, double wallSeconds, Map<String, Float> lastMetrics,
                         Path checkpoint, ModelMeta meta) {}

    /**
     * Runs (or resumes) the task until the total step count, {@code stopAt}, or a stop request.
     *
     * @throws RetouchException for user-fixable problems (unusable run folder, checkpoint of
     *     another model, loss became NaN)
     */
    public Result fit(TrainingTask task) throws IOException {
        Engine engine = Engines.init();
        Files.createDirectories(runDir);
        Checkpoints checkpoints = Checkpoints.open(runDir);
        Path ckptDir = checkpoints.dir();
        TrainLog log = new TrainLog(runDir.resolve(LOG_CSV), runDir.resolve(CURVE_PNG));
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = shutdownHook ? new Thread(() -> {
            stopRequested.set(true);
            try {
                finished.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "retouch-trainer-stop") : null;
        ProgressBar bar = null;
        try (NDManager root = engine.newBaseManager()) {
            Checkpoints.State state = resume ? checkpoints.read(seed, steps) : null;
            long runSeed = state == null ? seed : state.seed();
            long start = state == null ? 0 : state.step();
            double priorWall = state == null ? 0 : state.wallSeconds();
            engine.setRandomSeed(Seeds.mixInt(runSeed, 0));
            TrainContext ctx = new TrainContext(root, runSeed, runDir, rampFrom, rampSteps);
            task.init(ctx);
            if (ctx.model() == null || ctx.modelMeta() == null) {
                throw new IllegalStateException("TrainingTask.init must call ctx.setModel(meta, block)");
            }
            initialisedFrom = state == null ? null : state.initialisedFrom();
            if (state == null && initFrom != null) {
                initialisedFrom = task.initialiseFrom(ctx, StartModel.resolve(initFrom));
                if (!quiet) err.printf(Locale.ROOT, "starting from the weights of %s%n", initialisedFrom);
            } else if (state != null && initFrom != null && !quiet) {
                err.printf(Locale.ROOT, "resuming: --init-from %s is not applied (the checkpoint's weights are)%n", initFrom);
            }
            if (state != null) {
                checkpoints.restore(ctx, task);
                log.loadExisting(start);
                if (!quiet) {
                    err.printf(Locale.ROOT, "resuming %s from step %d of %d%n", runDir, start, steps);
                }
                long planned = state.totalSteps();
                if (planned != steps && start > 0) {
                    // Cosine schedules are re-planned over the new length: after an annealed run the rate
                    // jumps back up, which wrecked a converged denoiser once (docs/MODELS.md).
                    err.printf(Locale.ROOT, "warning: the checkpoint planned %d steps, this run %d: the learning-rate schedule is "
                            + "re-planned from step %d; to extend an annealed run, lower the peak rate (e.g. --lr 1e-4)%n",
                            planned, steps, start);
                }
            }
            if (hook != null) {
                Runtime.getRuntime().addShutdownHook(hook);
            }
            long end = stopAt > 0 ? Math.min(stopAt, steps) : steps;
            if (!quiet) {
                bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(steps)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500)
                        .showSpeed(new java.text.DecimalFormat("#.##")).setUnit(" steps", 1)
                        .startsFrom(start, Duration.ZERO).build();
            }
            long t0 = System.nanoTime();
            Map<String, Float> last = new LinkedHashMap<>();
            if (state != null) {
                // the metrics the checkpoint was written with: model.json of a resumed run equals an uninterrupted one's
                last.putAll(state.lastMetrics());
            }
            long step = start;
            long lastCheckpoint = start;
            ModelMeta written = null;
            while (step < end && !stopRequested.get()) {
                long s = step + 1;
                Map<String, Float> metrics = new LinkedHashMap<>();
                boolean validated = false;
                try (NDManager stepManager = root.newSubManager()) {
                    engine.setRandomSeed(Seeds.mixInt(runSeed, s));
                    StepContext sc = new StepContext(stepManager, s, steps, runSeed);
                    metrics.putAll(task.step(sc));
                    checkFinite(metrics, s, ckptDir);
                    if (validateEvery > 0 && (s % validateEvery == 0 || s == end)) {
                        metrics.putAll(task.validate(sc));
                        validated = true;
                    }
                    if (sampleEvery > 0 && (s % sampleEvery == 0 || s == end)) {
                        Path dir = runDir.resolve("samples");
                        Files.createDirectories(dir);
                        task.writeSamples(sc, dir.resolve(String.format(Locale.ROOT, "step-%07d.png", s)));
                    }
                }
                step = s;
                if (DEBUG_ARRAYS) {
                    err.printf(Locale.ROOT, "step %d: %d native resources held by the run's manager%n", s, resourceCount(root));
                }
                last.putAll(metrics);
                double wall = priorWall + (System.nanoTime() - t0) / 1e9;
                if (s % logEvery == 0 || s == end || validated || s == start + 1) {
                    log.add(s, wall, metrics, TrainLog.rssMb());
                    try {
                        log.flush();
                    } catch (IOException e) {
                        throw writeFailed(runDir.resolve(LOG_CSV), e, ckptDir, lastCheckpoint);
                    }
                }
                if (bar != null) {
                    bar.stepTo(s);
                    bar.setExtraMessage(" " + message(metrics));
                }
                if (checkpointEvery > 0 && s % checkpointEvery == 0 && s < end) {
                    written = checkpointOrExplain(ctx, task, checkpoints, log, runSeed, s, wall, last, lastCheckpoint);
                    lastCheckpoint = s;
                }
            }
            double wall = priorWall + (System.nanoTime() - t0) / 1e9;
            if (step > lastCheckpoint || (written == null && state == null)) {
                written = checkpointOrExplain(ctx, task, checkpoints, log, runSeed, step, wall, last, lastCheckpoint);
            } else if (written == null) {
                written = ModelFile.readMeta(ckptDir); // resumed at its last step: the checkpoint is already the result
            }
            if (bar != null) {
                bar.close();
                bar = null;
            }
            boolean completed = step >= steps;
            if (!completed && !quiet) {
                err.printf(Locale.ROOT, "stopped at step %d of %d; checkpoint in %s; run again with the same run folder to resume%n",
                        step, steps, ckptDir);
            }
            if (export != null && completed) {
                try {
                    ModelFile.save(export, written.toBuilder().name(null).created(null).build(), ctx.model());
                } catch (IOException e) {
                    throw writeFailed(export, e, ckptDir, step);
                }
            }
            return new Result(step, completed, start, wall, Map.copyOf(last), ckptDir, written);
        } finally {
            if (bar != null) {
                bar.close();
            }
            finished.countDown();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    // JVM already shutting down, or the hook was never added
                }
            }
        }
    }

    private static String message(Map<String, Float> metrics) {
        Float loss = metrics.get("loss");
        if (loss == null && !metrics.isEmpty()) {
            Map.Entry<String, Float> e = metrics.entrySet().iterator().next();
            return String.format(Locale.ROOT, "%s %.4g", e.getKey(), e.getValue());
        }
        return loss == null ? "" : String.format(Locale.ROOT, "loss %.4g", loss);
    }

    private static void checkFinite(Map<String, Float> metrics, long step, Path ckptDir) {
        for (Map.Entry<String, Float> e : metrics.entrySet()) {
            String k = e.getKey();
            if ((k.equals("loss") || k.endsWith("_loss") || k.startsWith("loss_")) && !Float.isFinite(e.getValue())) {
                throw new RetouchException(k + " became " + e.getValue() + " at step " + step
                        + "; lower the learning rate (the last good checkpoint is in " + ckptDir + ")");
            }
        }
    }

    /** Key in model.json's hyper-parameters and trainer.json naming the model a run started from. */
    public static final String INIT_KEY = "initialised_from";

    /** The model this run's weights started from (kept across resumes), or null. */
    private String initialisedFrom;

    /** {@link #checkpoint}, with a write failure (full disk, no permission) explained in one line. */
    private ModelMeta checkpointOrExplain(TrainContext ctx, TrainingTask task, Checkpoints checkpoints, TrainLog log, long runSeed,
                                          long step, double wall, Map<String, Float> last, long lastGood) throws IOException {
        Path ckptDir = checkpoints.dir();
        try {
            return checkpoint(ctx, task, checkpoints, log, runSeed, step, wall, last);
        } catch (IOException | java.io.UncheckedIOException e) {
            IOException io = e instanceof IOException x ? x : ((java.io.UncheckedIOException) e).getCause();
            throw writeFailed(ckptDir, io, ckptDir, lastGood);
        } catch (RetouchException e) {
            if (String.valueOf(e.getMessage()).contains("cannot write")) throw writeFailed(ckptDir, e, ckptDir, lastGood);
            throw e;
        }
    }

    /**
     * A one-line error for a failed write during training: what could not be written and why
     * (e.g. "No space left on device"), that the last checkpoint is intact, and how to go on.
     */
    static RetouchException writeFailed(Path what, Exception e, Path ckptDir, long lastGood) {
        String why = e instanceof IOException io ? retouch.image.AtomicFiles.describe(io) : String.valueOf(e.getMessage());
        boolean full = why.toLowerCase(Locale.ROOT).contains("no space") || why.toLowerCase(Locale.ROOT).contains("quota");
        String kept = lastGood > 0 && Checkpoints.exists(ckptDir)
                ? "the checkpoint of step " + lastGood + " in " + ckptDir + " is intact"
                : "no checkpoint was written yet";
        String fix = full ? "free some space on that disk (or give --out a folder on a disk with room)"
                : "check that the run folder is writable and the disk is not full";
        return new RetouchException("cannot write " + what + " (" + why + "); "
                + kept + "; " + fix + ", then run the same command again" + (kept.startsWith("no ") ? "" : " to resume"), e);
    }

    /** Writes a checkpoint of this step, then the log and its curve. */
    private ModelMeta checkpoint(TrainContext ctx, TrainingTask task, Checkpoints checkpoints, TrainLog log, long runSeed, long step,
                                 double wall, Map<String, Float> last) throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>(ctx.modelMeta().metrics());
        last.forEach((k, v) -> metrics.put(k, v.doubleValue()));
        ModelMeta.Builder mb = ctx.modelMeta().toBuilder().seed(runSeed).steps(step)
                .wallTimeSeconds(Math.round(wall * 100) / 100.0).metrics(metrics)
                .created(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (command != null) {
            mb.command(command);
        }
        if (initialisedFrom != null) {
            mb.hyper(INIT_KEY, initialisedFrom);
        }
        if (mb.build().name() == null) {
            mb.name(runDir.getFileName().toString());
        }
        ModelMeta written = checkpoints.write(ctx, task, mb.build(), new Checkpoints.State(step, steps, runSeed, wall, last, initialisedFrom));
        log.flush();
        try {
            log.writeCurve();
        } catch (RuntimeException | IOException | Error e) {
            // a plot must never kill a training run (e.g. a JVM without fonts)
            if (!quiet) {
                err.println("warning: cannot draw " + CURVE_PNG + ": " + e);
            }
        }
        return written;
    }

    /** Builder for {@link Trainer}: {@code set*} required, {@code opt*} optional, as in DJL. */
    public static final class Builder {
        private Path runDir;
        private long steps = -1;
        private long seed;
        private long checkpointEvery = 1000;
        private long logEvery = 10;
        private long validateEvery;
        private long sampleEvery;
        private long stopAt;
        private long rampFrom;
        private long rampSteps;
        private String initFrom;
        private boolean resume = true;
        private boolean quiet;
        private boolean shutdownHook = true;
        private String command;
        private Path export;

        Builder() {}

        /** Run folder: checkpoint, log, plot, samples. Created if missing; resumed if it has a checkpoint. */
        public Builder setRunDir(Path dir) { runDir = dir; return this; }
        /** Total optimisation steps of the run. */
        public Builder setSteps(long n) { steps = n; return this; }
        /** Run seed (default 0); a resumed run uses its checkpoint's seed. */
        public Builder optSeed(long s) { seed = s; return this; }
        /** Checkpoint interval in steps (default 1000; 0: only at the end and on stop). */
        public Builder optCheckpointEvery(long n) { checkpointEvery = n; return this; }
        /** CSV row interval in steps (default 10). */
        public Builder optLogEvery(long n) { logEvery = Math.max(1, n); return this; }
        /** Validation interval in steps (default 0: never). */
        public Builder optValidateEvery(long n) { validateEvery = n; return this; }
        /** Sample-grid interval in steps (default 0: never). */
        public Builder optSampleEvery(long n) { sampleEvery = n; return this; }
        /** Stop (with a checkpoint) after this step even though the run is longer: time-boxed sessions. */
        public Builder optStopAt(long step) { stopAt = step; return this; }

        /** Starts a new run from the weights of this model (name or path) instead of a random initialisation; ignored on resume. */
        public Builder optInitFrom(String nameOrPath) { initFrom = nameOrPath; return this; }

        /** Ramps the learning rate in linearly over {@code n} steps after step {@code from} ({@link LrSchedule#withRamp}). */
        public Builder optLrRamp(long from, long n) {
            if (from < 0 || n <= 0) throw new IllegalArgumentException("learning-rate ramp needs from >= 0 and n > 0, got " + from + ":" + n);
            rampFrom = from;
            rampSteps = n;
            return this;
        }
        /** Whether to resume from an existing checkpoint (default true; false starts over and overwrites). */
        public Builder optResume(boolean r) { resume = r; return this; }
        /** No progress bar or messages on stderr (tests). */
        public Builder optQuiet(boolean q) { quiet = q; return this; }
        /** Whether Ctrl-C / SIGTERM writes a checkpoint before exit (default true). */
        public Builder optShutdownHook(boolean h) { shutdownHook = h; return this; }
        /** Command line recorded in model.json. */
        public Builder optCommand(String c) { command = c; return this; }
        /** Where to save the final model (folder, or .zip) when the run completes. */
        public Builder optExport(Path p) { export = p; return this; }

        public Trainer build() {
            if (runDir == null) {
                throw new IllegalArgumentException("Trainer needs a run folder (setRunDir)");
            }
            if (steps < 0) {
                throw new IllegalArgumentException("Trainer needs a step count (setSteps)");
            }
            return new Trainer(this);
        }
    }
}
