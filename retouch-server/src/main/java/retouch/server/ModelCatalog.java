package retouch.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import retouch.RetouchException;
import retouch.api.Generator;
import retouch.api.Retouch;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.ModelStore;
import retouch.nn.synth.ImageGenerator;

/**
 * The models a server offers: found by name in the server's models folder and then on the model
 * store's search path, loaded on first use and shared by every request after that. Clients name
 * models, never paths, so a request cannot make the server open an arbitrary file.
 */
final class ModelCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final long LIST_TTL_NANOS = 2_000_000_000L;

    /**
     * One model found on the search path.
     *
     * @param name lookup name
     * @param location folder or zip
     * @param meta its model.json, or null when unreadable
     * @param problem why model.json could not be read, or null
     */
    record Entry(String name, Path location, ModelMeta meta, String problem) {
        List<String> tasks() { return meta == null ? List.of() : meta.tasks(); }

        String mainTask() { return tasks().isEmpty() ? null : tasks().get(0); }
    }

    private final Path modelsDir;
    private final int tile;
    private final Function<String, ImageGenerator> generatorLoader;
    private final Map<String, Retouch> restorers = new ConcurrentHashMap<>();
    private final Map<String, Generator> generators = new ConcurrentHashMap<>();
    private final Object loadLock = new Object();
    private volatile List<Entry> cached;
    private volatile long cachedAt;
    private volatile boolean closed;

    /** When true, a server given a models folder offers only that folder's models. */
    static final String ONLY_PROPERTY = "retouch.serve.models-only";

    ModelCatalog(Path modelsDir, int tile, Function<String, ImageGenerator> generatorLoader) {
        this.modelsDir = modelsDir == null ? null : modelsDir.toAbsolutePath().normalize();
        this.tile = tile;
        this.generatorLoader = generatorLoader;
    }

    /** Folders searched, in order. */
    List<Path> searchPath() {
        Set<Path> dirs = new LinkedHashSet<>();
        if (modelsDir != null) dirs.add(modelsDir);
        if (!(modelsDir != null && Boolean.getBoolean(ONLY_PROPERTY))) dirs.addAll(ModelStore.searchPath());
        return new ArrayList<>(dirs);
    }

    /** Every model on the search path (cached for two seconds); a shadowed name is listed once. */
    List<Entry> list() {
        List<Entry> c = cached;
        if (c != null && System.nanoTime() - cachedAt < LIST_TTL_NANOS) return c;
        List<Entry> out = new ArrayList<>();
        ModelStore.modelFiles(searchPath()).forEach((name, p) -> {
            try {
                out.add(new Entry(name, p, ModelFile.readMeta(p), null));
            } catch (RetouchException e) {
                out.add(new Entry(name, p, null, e.getMessage()));
            }
        });
        cached = List.copyOf(out);
        cachedAt = System.nanoTime();
        return cached;
    }

    /**
     * The model called {@code name}.
     *
     * @throws ApiException 400 for a malformed name, 404 when there is none
     */
    Entry find(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("bad_parameter", "model must be a model name (letters, digits, '.', '_', '-'), not '" + name + "'; GET /v1/models lists them");
        }
        for (Entry e : list()) {
            if (e.name().equals(name)) return e;
        }
        throw new ApiException(404, "unknown_model", "no model named '" + name + "' on this server; GET /v1/models lists the installed ones");
    }

    /** The task's default model ({@link ModelStore#DEFAULT_FOR_TASK}) if installed, else the first readable model whose main task is {@code task}, or null. */
    Entry firstFor(String task) {
        String preferred = ModelStore.DEFAULT_FOR_TASK.get(task);
        for (Entry e : list()) {
            if (e.problem() == null && task.equals(e.mainTask()) && e.name().equals(preferred)) return e;
        }
        for (Entry e : list()) {
            if (e.problem() == null && task.equals(e.mainTask())) return e;
        }
        return null;
    }

    /** The task's shipped colour model ({@link ModelStore#COLOUR_DEFAULT_FOR_TASK}) if installed and readable, else null. */
    Entry colourFor(String task) {
        String name = ModelStore.COLOUR_DEFAULT_FOR_TASK.get(task);
        if (name == null) return null;
        for (Entry e : list()) {
            if (e.problem() == null && e.name().equals(name) && e.tasks().contains(task)) return e;
        }
        return null;
    }

    /** The first readable model that has {@code task} among its tasks, or null. */
    Entry firstWith(String task) {
        for (Entry e : list()) {
            if (e.problem() == null && e.tasks().contains(task)) return e;
        }
        return null;
    }

    /** The restoration model for {@code entry}, loaded once. */
    Retouch restorer(Entry entry) {
        return loadOnce(restorers, entry, e -> {
            long t0 = System.nanoTime();
            Retouch r;
            try {
                r = Retouch.load(e.location().toString(), Retouch.Options.defaults().withTile(tile));
            } catch (RetouchException x) {
                throw new ApiException(500, "model_error", "model '" + e.name() + "' cannot be loaded: " + x.getMessage());
            }
            LOG.info("loaded model {} ({}) in {} ms", e.name(), r.task(), (System.nanoTime() - t0) / 1_000_000);
            return r;
        });
    }

    /** The generator for {@code entry}, loaded once. */
    Generator generator(Entry entry) {
        return loadOnce(generators, entry, e -> {
            Generator g;
            try {
                g = Generator.of(generatorLoader.apply(e.location().toString()));
            } catch (RetouchException x) {
                throw new ApiException(501, "generator_unsupported", "generator '" + e.name() + "' cannot be loaded by this server: " + x.getMessage());
            }
            LOG.info("loaded generator {}", e.name());
            return g;
        });
    }

    /**
     * What {@code loaded} holds for the entry's name, else {@code load}'s result, kept there.
     * Loading happens under one lock, so concurrent first requests load a model once.
     */
    private <T> T loadOnce(Map<String, T> loaded, Entry entry, Function<Entry, T> load) {
        checkReadable(entry);
        T value = loaded.get(entry.name());
        if (value != null) return value;
        synchronized (loadLock) {
            if (closed) throw new ApiException(503, "shutting_down", "the server is shutting down", 5);
            value = loaded.get(entry.name());
            if (value != null) return value;
            value = load.apply(entry);
            loaded.put(entry.name(), value);
            return value;
        }
    }

    private static void checkReadable(Entry entry) {
        if (entry.problem() != null) {
            throw new ApiException(500, "model_error", "model '" + entry.name() + "' is damaged: " + entry.problem());
        }
    }

    /** Whether the named model is loaded. */
    boolean isLoaded(String name) {
        return restorers.containsKey(name) || generators.containsKey(name);
    }

    int loadedCount() {
        return restorers.size() + generators.size();
    }

    /** Short facts about a model for GET /v1/models. */
    static Map<String, Object> describe(Entry e, boolean loaded) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        if (e.meta() != null) {
            ModelMeta meta = e.meta();
            m.put("architecture", meta.architecture());
            m.put("tasks", meta.tasks());
            m.put("labels", meta.labels());
            m.put("input_channels", meta.inputChannels());
            m.put("metrics", meta.metrics());
            if (meta.description() != null) m.put("description", meta.description());
            if (meta.steps() != null) m.put("steps", meta.steps());
            if (meta.created() != null) m.put("created", meta.created());
        } else {
            m.put("tasks", List.of());
            m.put("problem", e.problem());
        }
        m.put("loaded", loaded);
        return m;
    }

    @Override
    public void close() {
        synchronized (loadLock) {
            closed = true;
            restorers.values().forEach(Retouch::close);
            generators.values().forEach(Generator::close);
            restorers.clear();
            generators.clear();
        }
    }
}
