package retouch.nn.train;

import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import retouch.RetouchException;
import retouch.nn.store.AtomicFiles;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;

/**
 * The checkpoint folder of a run: a valid model file (the registered model and its meta) plus
 * what an exact resume needs: the other registered blocks ({@code blocks/}), the optimisers'
 * moments ({@code optimizers/}), the task's own state ({@code task/}) and {@code trainer.json}
 * (step, seed, wall time, last metrics). Each checkpoint is written into a temporary sibling and
 * swapped in whole, so a run killed mid-write keeps the previous one.
 */
final class Checkpoints {

    private static final String STATE_JSON = "trainer.json";
    /** Key in trainer.json: the metrics of the last step (and last validation) before the checkpoint. */
    private static final String LAST_METRICS = "last_metrics";

    /**
     * What trainer.json holds besides the architecture.
     *
     * @param initialisedFrom the model the run's weights started from, or null
     */
    record State(long step, long totalSteps, long seed, double wallSeconds, Map<String, Float> lastMetrics,
                 String initialisedFrom) {}

    private final Path runDir;
    private final Path dir;

    private Checkpoints(Path runDir, Path dir) {
        this.runDir = runDir;
        this.dir = dir;
    }

    /**
     * The checkpoint of {@code runDir}: a replacement a crash interrupted is finished or undone, and
     * what killed runs left half-written is removed.
     */
    static Checkpoints open(Path runDir) throws IOException {
        Path dir = AtomicFiles.recover(runDir.resolve(Trainer.CHECKPOINT));
        removeStaleTemporaries(runDir);
        return new Checkpoints(runDir, dir);
    }

    /** The checkpoint folder (a model file). */
    Path dir() {
        return dir;
    }

    /** Whether {@code ckptDir} holds a complete checkpoint (not only a model file). */
    static boolean exists(Path ckptDir) {
        return Files.isRegularFile(ckptDir.resolve(STATE_JSON));
    }

    /**
     * The trainer state of the checkpoint, or null when there is none; a value trainer.json lacks
     * is 0, or the run's own {@code seed} and {@code totalSteps}.
     */
    State read(long seed, long totalSteps) throws IOException {
        if (!exists(dir)) return null;
        JsonNode state = ModelFile.json().readTree(dir.resolve(STATE_JSON).toFile());
        Map<String, Float> last = new LinkedHashMap<>();
        state.path(LAST_METRICS).fields().forEachRemaining(e -> last.put(e.getKey(), (float) e.getValue().asDouble()));
        return new State(state.path("step").asLong(0), state.path("total_steps").asLong(totalSteps), state.path("seed").asLong(seed),
                state.path("wall_time_seconds").asDouble(0), last, state.path(Trainer.INIT_KEY).asText(null));
    }

    /**
     * Replaces the checkpoint by the current weights of everything {@code ctx} registered, the
     * task's state and {@code state}.
     *
     * @return the meta as written
     */
    ModelMeta write(TrainContext ctx, TrainingTask task, ModelMeta meta, State state) throws IOException {
        Path tmp = AtomicFiles.tempSibling(dir);
        try {
            Files.createDirectories(tmp);
            ModelMeta written = ModelFile.writeInto(tmp, meta, ctx.model());
            if (!ctx.blocks().isEmpty()) {
                Path bd = Files.createDirectories(tmp.resolve("blocks"));
                for (Map.Entry<String, Block> e : ctx.blocks().entrySet()) {
                    ByteArrayOutputStream bos = new ByteArrayOutputStream();
                    try (DataOutputStream dos = new DataOutputStream(bos)) {
                        e.getValue().saveParameters(dos);
                    }
                    Files.write(bd.resolve(e.getKey() + ".params"), bos.toByteArray());
                }
            }
            if (!ctx.optimizers().isEmpty()) {
                Path od = Files.createDirectories(tmp.resolve("optimizers"));
                for (Map.Entry<String, Adam> e : ctx.optimizers().entrySet()) {
                    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(od.resolve(e.getKey() + ".adam")))) {
                        e.getValue().save(os);
                    }
                }
            }
            Path td = Files.createDirectories(tmp.resolve("task"));
            task.saveState(td);
            ObjectNode st = ModelFile.json().createObjectNode();
            st.put("step", state.step());
            st.put("total_steps", state.totalSteps());
            st.put("seed", state.seed());
            st.put("wall_time_seconds", state.wallSeconds());
            st.put("architecture", written.architecture());
            ObjectNode lm = st.putObject(LAST_METRICS);
            state.lastMetrics().forEach((k, v) -> lm.put(k, v.doubleValue()));
            if (state.initialisedFrom() != null) st.put(Trainer.INIT_KEY, state.initialisedFrom());
            ModelFile.json().writeValue(tmp.resolve(STATE_JSON).toFile(), st);
            AtomicFiles.replaceDir(tmp, dir);
        } finally {
            AtomicFiles.deleteRecursively(tmp);
        }
        return ModelFile.readMeta(dir);
    }

    /**
     * Loads the checkpoint into what {@code ctx} registered (weights, other blocks, optimiser
     * state) and gives the task its saved state.
     *
     * @throws RetouchException when the checkpoint is of another model, or lacks a registered block or optimiser
     */
    void restore(TrainContext ctx, TrainingTask task) throws IOException {
        String want = ctx.modelMeta().architecture();
        ModelMeta saved = ModelFile.readMeta(dir);
        if (!want.equals(saved.architecture())) {
            throw new RetouchException("run folder " + runDir + " holds a checkpoint of a '" + saved.architecture()
                    + "' model but this run trains a '" + want + "' model; use a new run folder");
        }
        ModelFile.loadInto(dir, ctx.model(), ctx.manager(), true);
        for (Map.Entry<String, Block> e : ctx.blocks().entrySet()) {
            Path f = required(dir.resolve("blocks").resolve(e.getKey() + ".params"), "block", e.getKey());
            ModelFile.replaceParameters(e.getValue(), ctx.manager(), Files.readAllBytes(f), saved, f.toString(), true);
        }
        for (Map.Entry<String, Adam> e : ctx.optimizers().entrySet()) {
            Path f = required(dir.resolve("optimizers").resolve(e.getKey() + ".adam"), "optimizer", e.getKey());
            try (InputStream is = new BufferedInputStream(Files.newInputStream(f))) {
                e.getValue().load(is, f.toString());
            }
        }
        Path td = dir.resolve("task");
        if (Files.isDirectory(td)) {
            task.loadState(td);
        }
    }

    private Path required(Path f, String kind, String name) {
        if (!Files.isRegularFile(f)) {
            throw new RetouchException("checkpoint " + dir + " has no state for " + kind + " '" + name + "'; use a new run folder");
        }
        return f;
    }

    /**
     * Removes what runs killed mid-checkpoint left next to the checkpoint ({@code .checkpoint.tmp-PID-N}
     * folders of processes that no longer run); those of a live process are left alone.
     */
    static void removeStaleTemporaries(Path runDir) throws IOException {
        String prefix = "." + Trainer.CHECKPOINT + ".tmp-";
        try (var s = Files.list(runDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (!n.startsWith(prefix)) continue;
                String[] parts = n.substring(prefix.length()).split("-");
                long pid;
                try {
                    pid = Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                AtomicFiles.deleteRecursively(p);
            }
        }
    }
}
