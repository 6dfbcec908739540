package retouch.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.image.ImageInfo;
import retouch.image.ReadOptions;

/**
 * The image files under a folder (recursively), in a fixed sorted order so that runs are
 * reproducible on any machine. Only paths are kept: images are decoded when asked for, so a
 * folder of 18,000 faces costs a list of names, not gigabytes.
 */
public final class ImageFolder {
    private final Path root;
    private final List<Path> files;

    private ImageFolder(Path root, List<Path> files) {
        this.root = root;
        this.files = List.copyOf(files);
    }

    /** All images (png/jpg/jpeg/bmp/gif, any case) under {@code root}; hidden files are skipped. */
    public static ImageFolder of(Path root) {
        return of(root, p -> true, null);
    }

    /**
     * Images whose path relative to {@code root} matches a glob ("*.png", "test_0*", "sub/**");
     * a glob without '/' is matched against the file name only.
     */
    public static ImageFolder of(Path root, String glob) {
        if (glob == null || glob.isEmpty()) return of(root);
        boolean onName = !glob.contains("/");
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        return of(root, p -> m.matches(onName ? p.getFileName() : root.relativize(p)), "matching " + glob);
    }

    /** Images for which {@code filter} (given the full path) is true. */
    public static ImageFolder of(Path root, Predicate<Path> filter) {
        return of(root, filter, "accepted by the filter");
    }

    /** A fixed list of files, kept in the given order (e.g. from a file list). */
    public static ImageFolder ofFiles(Path root, List<Path> files) {
        if (files.isEmpty()) throw new RetouchException(root + ": no images given");
        return new ImageFolder(root, files);
    }

    private static ImageFolder of(Path root, Predicate<Path> filter, String filterText) {
        if (!Files.exists(root)) {
            throw new RetouchException(root + ": no such folder; give a folder of images (png, jpg, jpeg, bmp, gif)");
        }
        if (Files.isRegularFile(root)) {
            if (ImageFiles.hasImageExtension(root)) {
                Path abs = root.toAbsolutePath();
                return new ImageFolder(abs.getParent(), List.of(abs));
            }
            throw new RetouchException(root + ": is a file, not a folder of images; give the folder that holds the images");
        }
        List<Path> found;
        try (Stream<Path> s = Files.walk(root)) {
            found = s.filter(p -> !hidden(root, p))
                    .filter(ImageFiles::hasImageExtension)
                    .filter(Files::isRegularFile)
                    .filter(filter)
                    .collect(Collectors.toCollection(ArrayList::new));
        } catch (IOException | UncheckedIOException e) {
            throw new RetouchException(root + ": cannot list the folder (" + e.getMessage() + "); check its permissions", e);
        }
        if (found.isEmpty()) {
            throw new RetouchException(root + ": no images (.png, .jpg, .jpeg, .bmp, .gif) found in it or its subfolders"
                    + (filterText != null ? " " + filterText : "") + "; check the path");
        }
        found.sort(Comparator.comparing(p -> root.relativize(p).toString().replace('\\', '/')));
        return new ImageFolder(root, found);
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) if (part.toString().startsWith(".")) return true;
        return false;
    }

    public Path root() { return root; }

    public int size() { return files.size(); }

    /** The files, sorted by their path relative to the root. */
    public List<Path> paths() { return files; }

    public Path path(int i) { return files.get(i); }

    /** Path of file {@code i} relative to the root (what to name its output). */
    public Path relative(int i) {
        Path f = files.get(i);
        return f.startsWith(root) ? root.relativize(f) : f.getFileName();
    }

    /** Decodes image {@code i} with the default options. */
    public Image read(int i) { return ImageFiles.read(files.get(i)); }

    public Image read(int i, ReadOptions options) { return ImageFiles.read(files.get(i), options); }

    /** Header of image {@code i}, without decoding. */
    public ImageInfo probe(int i) { return ImageFiles.probe(files.get(i)); }

    /** The first {@code n} images (all if fewer). */
    public ImageFolder first(int n) {
        return new ImageFolder(root, files.subList(0, Math.min(n, files.size())));
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive). */
    public ImageFolder subset(int from, int to) {
        return new ImageFolder(root, files.subList(from, to));
    }

    /** The file list in an unmodifiable view; same as {@link #paths()}. */
    public List<Path> asList() { return Collections.unmodifiableList(files); }

    @Override
    public String toString() { return "ImageFolder[" + root + ", " + files.size() + " images]"; }
}
