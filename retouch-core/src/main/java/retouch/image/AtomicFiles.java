package retouch.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import retouch.RetouchException;

/**
 * Writes files so that readers never see half of one: an interrupted run (Ctrl-C, full disk,
 * crash) leaves either the old file or the new one, never a truncated PNG, model or JSON.
 * The bytes go to a temporary file in the target's folder, are flushed to the disk
 * ({@code fsync}), and the file is then renamed over the target; the folder is synced after the
 * rename, so a power cut right after a write returns leaves the new file, not an empty one.
 * This is the one implementation: {@code retouch.nn.store.AtomicFiles} (models, checkpoints)
 * delegates here.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** A writer callback that may throw {@link IOException} (lambdas over streams need this). */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T t) throws IOException;
    }

    /**
     * Creates the parent folders, lets {@code body} write the content, then renames it into place.
     * Failures become a {@link RetouchException} naming {@code target}; the temporary file is removed.
     */
    public static void write(Path target, IOConsumer<OutputStream> body) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            if (Files.isDirectory(abs)) {
                throw new RetouchException(target + ": is a folder; give a file name to write to");
            }
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            // createTempFile makes the file private (0600); outputs should be readable like any other file.
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: keep its defaults
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                body.accept(out);
                out.flush();
                ch.force(true);
            }
            moveReplacing(tmp, abs);
            tmp = null;
        } catch (IOException e) {
            String why = describe(e);
            throw new RetouchException(target + ": cannot write it (" + why + "); " + (why.equals(NO_SPACE)
                    ? "free some space on that disk or write to a folder on another disk" : "check that the folder is writable and the disk is not full"), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the original error matters more
                }
            }
        }
    }

    /** Writes {@code bytes} atomically. */
    public static void writeBytes(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /** Writes {@code text} as UTF-8 atomically. */
    public static void writeString(Path target, String text) {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Renames the complete file or folder {@code tmp} over {@code target} (atomically where the file
     * system allows), after flushing {@code tmp}'s content to the disk; the folder holding
     * {@code target} is synced afterwards so the rename itself survives a power cut.
     */
    public static void moveReplacing(Path tmp, Path target) throws IOException {
        fsyncTree(tmp);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) fsyncDirectory(parent);
    }

    /** Flushes a file's content to the disk ({@code fsync}). */
    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Flushes a file, or every file and folder under a folder, to the disk. */
    public static void fsyncTree(Path p) throws IOException {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            fsync(p);
        } else if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path q : (Iterable<Path>) s::iterator) {
                    if (Files.isRegularFile(q, java.nio.file.LinkOption.NOFOLLOW_LINKS)) fsync(q);
                    else if (Files.isDirectory(q, java.nio.file.LinkOption.NOFOLLOW_LINKS)) fsyncDirectory(q);
                }
            }
        }
    }

    /**
     * Syncs a folder's entries (new names, renames) to the disk where the platform allows it
     * (Linux, macOS); elsewhere opening a folder fails and this does nothing.
     */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows and some file systems cannot open or sync a folder; the data itself was synced
        }
    }

    /** The reason {@link #describe} gives for a full disk (also when an encoder wrapped it, as ImageIO's PNG writer does). */
    public static final String NO_SPACE = "No space left on device";

    /** A short reason for an I/O failure: "permission denied", "No space left on device", ... */
    public static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(NO_SPACE)
                    || t instanceof FileSystemException f && String.valueOf(f.getReason()).contains(NO_SPACE)) {
                return NO_SPACE;
            }
        }
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or folder: " + ((NoSuchFileException) e).getFile();
        if (e instanceof FileSystemException) {
            String reason = ((FileSystemException) e).getReason();
            return reason != null ? reason : e.getClass().getSimpleName();
        }
        String m = e.getMessage();
        return m != null && !m.isBlank() ? m : e.getClass().getSimpleName();
    }
}
