package retouch.nn.store;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import retouch.RetouchException;

/**
 * Finds models by name. A name is looked up, in order, in the folders of system property
 * {@code retouch.models} / environment variable {@code RETOUCH_MODELS} (path-separator
 * separated), the shipped {@code models/} folder ({@code <retouch.home>/models}, or of the
 * nearest enclosing project checkout), and {@code ~/.retouch/models}; in each folder as
 * {@code <name>/} (with model.json) or {@code <name>.zip}; last, the models packaged on the class
 * path by the {@code retouch-models} jar ({@link ClasspathModels}). Anything that looks like a path
 * is used as a path.
 */
public final class ModelStore {

    /**
     * One model found on the search path.
     *
     * @param name lookup name
     * @param architecture architecture, or "?" if model.json could not be read
     * @param tasks tasks from model.json
     * @param sizeBytes size on disk
     * @param location folder or zip
     * @param problem why model.json could not be read, or {@code null}
     */
    public record Entry(String name, String architecture, List<String> tasks, long sizeBytes, Path location, String problem) {}

    private ModelStore() {}

    /** The folders searched for model names, existing or not, in order. */
    public static List<Path> searchPath() {

        Set<Path> dirs = new LinkedHashSet<>();
        addAll(dirs, System.getProperty("retouch.models"));
        addAll(dirs, System.getenv("RETOUCH_MODELS"));
        String home = System.getProperty("retouch.home", System.getenv("RETOUCH_HOME"));
        if (home != null && !home.isBlank()) {
            dirs.add(Path.of(home, "models").toAbsolutePath().normalize());
        } else {
            for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("models")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                    dirs.add(p.resolve("models").normalize());
                    break;
                }
            }
        }
        dirs.add(Path.of(System.getProperty("user.home"), ".retouch", "models"));
        Path packaged = ClasspathModels.folder(); // the retouch-models jar, when a project depends on it
        if (packaged != null) dirs.add(packaged);
        return new ArrayList<>(dirs);
    }

    private static void addAll(Set<Path> dirs, String list) {
        if (list == null) {
            return;
        }
        for (String s : list.split(File.pathSeparator)) {
            if (!s.isBlank()) {
                dirs.add(Path.of(s.trim()).toAbsolutePath().normalize());
            }
        }
    }

    /**
     * The shipped model each restoration task uses when the caller names none (the photo models:
     * an inpainting model for 28-pixel Fashion-MNIST must not be picked for a photo).
     */
    public static final java.util.Map<String, String> DEFAULT_FOR_TASK = defaults(false);

    /** The shipped model for RGB photos where a task has one (the gray model of {@link #DEFAULT_FOR_TASK} otherwise). */
    public static final java.util.Map<String, String> COLOUR_DEFAULT_FOR_TASK = defaults(true);

    /** Task id to its shipped gray (or colour) model, from the task registry. */
    private static java.util.Map<String, String> defaults(boolean colour) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (retouch.nn.task.RestorationTask t : retouch.nn.task.RestorationTasks.all()) {
            String name = colour ? t.colourModel() : t.grayModel();
            if (name != null) m.put(t.id(), name);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Shipped models that were replaced, and what replaced them (docs/MODELS.md says why). */
    static final java.util.Map<String, String> RETIRED = java.util.Map.of(
            "sr2-gray", "sr2-color (x2, for gray and colour photos; what --task sr2 runs)",
            "sr4-gray", "sr4-color (x4, for gray and colour photos; what --task sr4 runs)");

    /**
     * The folder or zip for {@code nameOrPath}.
     *
     * @throws RetouchException if nothing matches, listing where it looked; for a retired model, what replaced it
     */
    public static Path resolve(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new RetouchException("no model given; name one from 'retouch models' or give a model folder or .zip");
        }
        Path asPath = Path.of(nameOrPath);
        if (Files.exists(asPath)) {
            return asPath;
        }
        boolean looksLikePath = nameOrPath.contains("/") || nameOrPath.contains(File.separator)
                || nameOrPath.toLowerCase(Locale.ROOT).endsWith(".zip");
        if (looksLikePath) {
            throw new RetouchException("model " + nameOrPath + " does not exist; check the path");
        }
        for (Path dir : searchPath()) {
            Path folder = dir.resolve(nameOrPath);
            if (Files.isRegularFile(folder.resolve(ModelFile.META_FILE))) {
                return folder;
            }
            Path zip = dir.resolve(nameOrPath + ".zip");
            if (Files.isRegularFile(zip)) {
                return zip;
            }
        }
        String successor = RETIRED.get(nameOrPath);
        if (successor != null) {
            throw new RetouchException("model '" + nameOrPath + "' was retired: use " + successor + "; its weights stay in the source repository under "
                    + "checkpoints/retired/" + nameOrPath + " for --model PATH");
        }
        throw new RetouchException("no model named '" + nameOrPath + "' in " + searchPath()
                + "; see 'retouch models', give a path, or add a folder with -Dretouch.models / RETOUCH_MODELS");
    }

    /** All models on the search path; a name shadowed by an earlier folder is listed once. */
    public static List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        modelFiles(searchPath()).forEach((name, p) -> {
            long size = AtomicFiles.size(p);
            try {
                ModelMeta m = ModelFile.readMeta(p);
                out.add(new Entry(name, m.architecture(), m.tasks(), size, p, null));
            } catch (RetouchException e) {
                out.add(new Entry(name, "?", List.of(), size, p, e.getMessage()));
            }
        });
        return out;
    }

    /**
     * The model files in {@code dirs} (folders with model.json, and zips) by lookup name, folder by
     * folder in name order; a name shadowed by an earlier folder is listed once. Folders that are
     * missing or cannot be listed are passed over.
     */
    public static Map<String, Path> modelFiles(List<Path> dirs) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> children;
            try (Stream<Path> s = Files.list(dir)) {
                children = s.sorted().toList();
            } catch (IOException e) {
                continue;
            }
            for (Path p : children) {
                String file = p.getFileName().toString();
                if (Files.isDirectory(p) && Files.isRegularFile(p.resolve(ModelFile.META_FILE))) {
                    found.putIfAbsent(file, p);
                } else if (Files.isRegularFile(p) && file.toLowerCase(Locale.ROOT).endsWith(".zip")) {
                    found.putIfAbsent(file.substring(0, file.length() - 4), p);
                }
            }
        }
        return found;
    }
}
