package retouch.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;
import retouch.RetouchException;
import retouch.api.Retouch;
import retouch.nn.store.ModelStore;

/**
 * Which model a job runs and how it reaches the executors. Resolved on the driver (a name from the
 * model store's search path, a model folder, a {@code .zip} or a TorchScript {@code .pt}); every
 * file it needs is added to the job ({@code SparkContext.addFile}, the same as {@code --files}),
 * so executors need no shared file system and no Retouch installation besides the jars.
 *
 * @param name the model's name (null: the task's shipped model, routed per image like {@code retouch restore --task})
 * @param task the restoration task (denoise, deblur, ...)
 * @param shippedFile file name under {@link SparkFiles} of the named model (null for the task default)
 * @param sigma noise level (0-255) or NaN to estimate it
 * @param tile tile side
 * @param quality auto, fast (one network pass) or max (refinement stages too), as {@code retouch restore --quality}
 * @param refine none, wiener or fusion (null: as the quality says), as {@code retouch restore --refine}
 * @param version size and modification time of the model's files: a changed model is loaded again
 */
public record ModelSpec(String name, String task, String shippedFile, double sigma, int tile, String quality, String refine, String version)
        implements Serializable {

    /** Cache key of the loaded model in an executor JVM. */
    String cacheKey() {
        return name + "|" + task + "|" + sigma + "|" + tile + "|" + quality + "|" + refine + "|" + version;
    }

    /** Opens the model on an executor (or the driver in local mode). */
    Retouch open() {
        Retouch.Options o = options(sigma, tile, quality, refine);
        if (name == null) return Retouch.forTask(task, o);
        Path local = Path.of(SparkFiles.get(shippedFile));
        if (!Files.exists(local)) {
            throw new RetouchException("model file " + shippedFile + " did not reach this executor (" + local + "); it is shipped with the job");
        }
        Retouch r = Retouch.load(local.toString(), o);
        if (task != null && !task.equals(r.task()) && !r.meta().architecture().equals("torchscript")) {
            String t = r.task();
            r.close();
            throw new RetouchException("model " + name + " does " + t + ", not " + task + "; give --task " + t + " or another model");
        }
        return r;
    }

    /** The API's options for these settings (checked: a bad value is a {@link RetouchException}). */
    static Retouch.Options options(double sigma, int tile, String quality, String refine) {
        Retouch.Options o = new Retouch.Options(null, sigma, tile);
        if (quality != null) o = o.withQuality(quality);
        if (refine != null) o = o.withSettings(o.settings().withRefine(refine));
        return o;
    }

    /** Files already added to the job, by file name (a name is shipped once; eval ships several models). */
    private static final java.util.Map<String, java.util.Set<String>> SHIPPED = new java.util.concurrent.ConcurrentHashMap<>();

    /** Adds {@code file} to the job unless a file of that name was added already from {@code tmpDir}'s run. */
    private static void addOnce(SparkContext sc, Path file, Path tmpDir) {
        java.util.Set<String> names = SHIPPED.computeIfAbsent(sc.applicationId() + "|" + tmpDir, k -> java.util.concurrent.ConcurrentHashMap.newKeySet());
        if (names.add(file.getFileName().toString())) sc.addFile(file.toAbsolutePath().toString());
    }

    private static boolean shipped(SparkContext sc, Path tmpDir, String fileName) {
        return SHIPPED.getOrDefault(sc.applicationId() + "|" + tmpDir, java.util.Set.of()).contains(fileName);
    }

    /** The model to ship for {@code --model} (or the task default when null), with its files added to {@code sc}. */
    static ModelSpec ship(SparkContext sc, String model, String task, double sigma, int tile, String quality, String refine, Path tmpDir) {
        options(sigma, tile, quality, refine); // refuse bad settings before anything runs
        List<String> names = new ArrayList<>();
        String shipped = null;
        StringBuilder version = new StringBuilder();
        String modelName = null;
        if (model != null) {
            Path loc;
            if (model.toLowerCase(java.util.Locale.ROOT).endsWith(".pt")) {
                loc = Path.of(model);
                if (!Files.isRegularFile(loc)) throw new RetouchException("TorchScript model " + model + " does not exist; check the path");
            } else {
                loc = ModelStore.resolve(model);
            }
            modelName = stripZip(loc.getFileName().toString());
            Path file = Files.isDirectory(loc) ? tmpDir.resolve(modelName + ".zip") : loc;
            if (!shipped(sc, tmpDir, file.getFileName().toString())) {
                if (Files.isDirectory(loc)) zip(loc, file);
                addOnce(sc, file, tmpDir);
            }
            shipped = file.getFileName().toString();
            version.append(fingerprint(loc));
        } else {
            String def = ModelStore.DEFAULT_FOR_TASK.get(task);
            if (def == null) throw new RetouchException("unknown task '" + task + "'; choose one of " + new java.util.TreeSet<>(ModelStore.DEFAULT_FOR_TASK.keySet()));
            names.add(def);
        }
        // models opened by name from inside another: the colour model of a task, the prior of plug-and-play deblurring
        String colour = task == null ? null : ModelStore.COLOUR_DEFAULT_FOR_TASK.get(task);
        if (model == null && colour != null) names.add(colour);
        // a deblurring model (of any task in eval, where the task is not known up front) may open the shipped denoiser
        if (task == null || "deblur".equals(task)) names.add(ModelStore.DEFAULT_FOR_TASK.get("denoise"));
        for (String n : names) {
            Path loc;
            try {
                loc = ModelStore.resolve(n);
            } catch (RetouchException e) {
                if (model == null && n.equals(names.get(0)) && task != null) {
                    throw new RetouchException("no model for --task " + task + ": '" + n + "' is not installed (see 'retouch models'); give one with --model");
                }
                continue; // optional companion: the model falls back as it does in 'retouch restore'
            }
            if (shipped(sc, tmpDir, n + ".zip")) {
                version.append(n).append(':').append(fingerprint(loc)).append(';');
                continue;
            }
            Path file = Files.isDirectory(loc) ? zip(loc, tmpDir.resolve(n + ".zip")) : loc;
            if (!file.getFileName().toString().equals(n + ".zip")) {
                // shipped under the name it is looked up by
                Path renamed = tmpDir.resolve(n + ".zip");
                try {
                    Files.copy(file, renamed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                file = renamed;
            }
            addOnce(sc, file, tmpDir);
            version.append(n).append(':').append(fingerprint(loc)).append(';');
        }
        return new ModelSpec(modelName, task, shipped, sigma, tile, quality, refine, version.toString());
    }

    /** What the report calls the model: its name, or "task default" routing. */
    String label() {
        return name != null ? name : task + " default";
    }

    private static String stripZip(String n) {
        return n.toLowerCase(java.util.Locale.ROOT).endsWith(".zip") ? n.substring(0, n.length() - 4) : n;
    }

    private static String fingerprint(Path loc) {
        try (Stream<Path> s = Files.walk(loc)) {
            long[] acc = {0, 0};
            s.filter(Files::isRegularFile).forEach(p -> {
                try {
                    acc[0] += Files.size(p);
                    acc[1] = Math.max(acc[1], Files.getLastModifiedTime(p).toMillis());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return acc[0] + "@" + acc[1];
        } catch (IOException e) {
            throw new RetouchException(loc + ": cannot read the model (" + e.getMessage() + ")");
        }
    }

    /** Zips a model folder (its files at the zip's root; weights are stored, not compressed). */
    static Path zip(Path folder, Path target) {
        try {
            Files.createDirectories(target.getParent());
            try (OutputStream os = Files.newOutputStream(target); ZipOutputStream zos = new ZipOutputStream(os);
                 Stream<Path> files = Files.list(folder)) {
                zos.setLevel(0); // weights hardly compress; packing should cost nothing
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    zos.putNextEntry(new ZipEntry(f.getFileName().toString()));
                    Files.copy(f, zos);
                    zos.closeEntry();
                }
            }
            return target;
        } catch (IOException e) {
            throw new RetouchException(folder + ": cannot pack the model to ship it (" + e.getMessage() + ")");
        }
    }
}
