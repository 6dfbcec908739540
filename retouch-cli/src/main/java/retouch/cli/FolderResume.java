package retouch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import retouch.image.ImageFiles;

/**
 * Resuming a folder run ({@code retouch restore IN_DIR -o OUT_DIR}) after it was stopped or
 * killed: results are written atomically, so a result that exists is complete; a run again skips
 * the inputs whose result is there and not older than the input, and removes the temporary files
 * ({@code .NAME.EXT.*.tmp}) a killed run may have left for the results it is about to write.
 */
final class FolderResume {
    private FolderResume() {}

    /** Whether {@code out} holds a finished result of {@code in}: present, not empty, not older than the input. */
    static boolean done(Path in, Path out) {
        try {
            return Files.isRegularFile(out) && Files.size(out) > 0
                    && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(in)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Deletes temporary files of killed runs for these targets' results in their folders
     * (the hidden {@code .NAME.EXT.*.tmp} files of {@link retouch.image.AtomicFiles}); they never
     * look like results and are ignored as inputs, but should not pile up.
     *
     * @return how many were removed
     */
    static int removeTemporaries(List<Inputs.Target> targets) {
        Set<Path> folders = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Inputs.Target t : targets) {
            if (t.folder() == null) continue;
            folders.add(t.folder());
            for (String ext : ImageFiles.WRITABLE) names.add("." + t.base() + "." + ext + ".");
        }
        int removed = 0;
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) continue;
            try (Stream<Path> s = Files.list(folder)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String n = p.getFileName().toString();
                    if (!n.startsWith(".") || !n.endsWith(".tmp") || !Files.isRegularFile(p)) continue;
                    for (String prefix : names) {
                        if (n.startsWith(prefix)) {
                            Files.deleteIfExists(p);
                            removed++;
                            break;
                        }
                    }
                }
            } catch (IOException e) {
                // leftovers are harmless (hidden, never read as inputs); the run itself goes on
            }
        }
        return removed;
    }
}
