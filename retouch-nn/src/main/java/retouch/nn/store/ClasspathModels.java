package retouch.nn.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import retouch.RetouchException;

/**
 * Models packaged on the class path (the {@code retouch-models} jar puts every shipped model under
 * {@value #ROOT}), so a Java project that depends on that jar loads them by name without a
 * checkout or a {@code ~/.retouch} folder. Model files are read by path, so the jar's models are
 * copied once into a cache folder named after their content
 * ({@code java.io.tmpdir/retouch-models-USER/HASH}, or {@code -Dretouch.models.cache}); from an
 * exploded class folder (an IDE) they are used in place.
 */
final class ClasspathModels {
    static final String ROOT = "retouch/models";
    private static final String COMPLETE = ".complete";
    private static volatile Path folder;
    private static volatile boolean looked;

    private ClasspathModels() {}

    /** The folder holding the class path's models, or null when no models jar is on the class path. */
    static Path folder() {
        if (!looked) {
            synchronized (ClasspathModels.class) {
                if (!looked) {
                    ClassLoader cl = Thread.currentThread().getContextClassLoader() != null
                            ? Thread.currentThread().getContextClassLoader() : ClasspathModels.class.getClassLoader();
                    String base = System.getProperty("retouch.models.cache");
                    folder = locate(cl, base != null ? Path.of(base)
                            : Path.of(System.getProperty("java.io.tmpdir"), "retouch-models-" + System.getProperty("user.name", "user")));
                    looked = true;
                }
            }
        }
        return folder;
    }

    /** The models folder of {@code cl}'s class path (unpacked under {@code cacheRoot} from a jar), or null. */
    static Path locate(ClassLoader cl, Path cacheRoot) {
        URL url = cl.getResource(ROOT + "/");
        if (url == null) url = cl.getResource(ROOT);
        if (url == null) return null;
        try {
            URI uri = url.toURI();
            if ("file".equals(uri.getScheme())) return Path.of(uri);
            if (!"jar".equals(uri.getScheme())) return null;
            FileSystem fs;
            try {
                fs = FileSystems.newFileSystem(uri, Map.of());
            } catch (FileSystemAlreadyExistsException e) {
                fs = FileSystems.getFileSystem(uri);
            }
            return extract(fs.getPath("/" + ROOT), cacheRoot);
        } catch (URISyntaxException | IOException e) {
            throw new RetouchException("cannot read the models on the class path (" + url + "): " + e.getMessage(), e);
        }
    }

    /** Copies the jar's models into the cache once per content (a finished copy has a marker file). */
    private static Path extract(Path root, Path cacheRoot) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        String key = contentKey(root, files);
        Path target = cacheRoot.resolve(key);
        if (Files.isRegularFile(target.resolve(COMPLETE))) return target;
        Files.createDirectories(cacheRoot);
        Path tmp = Files.createTempDirectory(cacheRoot, key + ".part");
        try {
            for (Path f : files) {
                Path out = tmp.resolve(root.relativize(f).toString());
                Files.createDirectories(out.getParent());
                Files.copy(f, out, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.createFile(tmp.resolve(COMPLETE));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // another process finished the same copy first
                if (!Files.isRegularFile(target.resolve(COMPLETE))) throw e;
            }
        } finally {
            deleteTree(tmp);
        }
        return target;
    }

    private static String contentKey(Path root, List<Path> files) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                md.update(root.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(Long.toString(Files.size(f)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (f.getFileName().toString().equals(ModelFile.META_FILE)) md.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
