package retouch.nn.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Write-then-rename helpers, so a reader (or a crash, or Ctrl-C) never sees a half-written model,
 * checkpoint, log plot or zip: content goes into a temporary sibling that is renamed over the
 * target when complete. The content is flushed to the disk ({@code fsync}) before the rename and
 * the folder after it: the file and rename logic is {@link retouch.image.AtomicFiles}'s, shared with
 * image outputs.
 */
public final class AtomicFiles {

    private static final AtomicLong COUNTER = new AtomicLong();

    private AtomicFiles() {}

    /** A fresh, not yet existing sibling of {@code target} (same folder, so rename is atomic). */
    public static Path tempSibling(Path target) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        return dir.resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = tempSibling(abs);
        try {
            Files.write(tmp, bytes);
            retouch.image.AtomicFiles.moveReplacing(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Renames file {@code tmp} over {@code target}, atomically where the file system allows, after
     * syncing {@code tmp} to the disk ({@link retouch.image.AtomicFiles#moveReplacing}).
     */
    public static void moveReplacing(Path tmp, Path target) throws IOException {
        retouch.image.AtomicFiles.moveReplacing(tmp, target);
    }

    /**
     * Replaces folder {@code target} by the complete folder {@code tmp}. The old folder is first
     * renamed to {@code <target>.old} (kept until the new one is in place), so at every moment
     * either {@code target} or {@code target.old} is complete; {@link #recover(Path)} picks it up.
     */
    public static void replaceDir(Path tmp, Path target) throws IOException {
        Path old = oldSibling(target);
        deleteRecursively(old);
        retouch.image.AtomicFiles.fsyncTree(tmp);
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        retouch.image.AtomicFiles.fsyncDirectory(target.toAbsolutePath().getParent());
        deleteRecursively(old);
    }

    /**
     * The complete folder for {@code target} after a possible crash inside
     * {@link #replaceDir}: {@code target} if present, else {@code target.old} moved back, else
     * {@code target} (absent).
     */
    public static Path recover(Path target) throws IOException {
        Path old = oldSibling(target);
        if (!Files.exists(target) && Files.isDirectory(old)) {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        } else if (Files.isDirectory(target) && Files.exists(old)) {
            deleteRecursively(old); // killed after the new folder was in place, before the old one was removed
        }
        return target;
    }

    private static Path oldSibling(Path target) {
        Path abs = target.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".old");
    }

    /** Deletes a file or folder tree if present. */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Total size in bytes of a file or folder tree. */
    public static long size(Path p) {
        try {
            if (Files.isRegularFile(p)) {
                return Files.size(p);
            }
            try (var s = Files.walk(p)) {
                return s.filter(Files::isRegularFile).mapToLong(f -> {
                    try {
                        return Files.size(f);
                    } catch (IOException e) {
                        return 0;
                    }
                }).sum();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
