package retouch.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.RetouchException;

/**
 * A full disk reads as "No space left on device" with the fix, also when an encoder wrapped the
 * error (ImageIO's PNG writer says "I/O error writing PNG file!"), and leaves neither a partial
 * file nor a temporary one. (bench/crash/full-disk.sh does it on a real 2 MiB tmpfs.)
 */
class AtomicFilesFullDiskTest {
    @TempDir Path tmp;

    @Test
    void fullDiskIsNamedThroughWrappers() {
        assertEquals(AtomicFiles.NO_SPACE, AtomicFiles.describe(new IIOException("I/O error writing PNG file!",
                new IOException("No space left on device"))));
        assertEquals(AtomicFiles.NO_SPACE, AtomicFiles.describe(new FileSystemException("/x/y", null, "No space left on device")));
        assertEquals("permission denied", AtomicFiles.describe(new java.nio.file.AccessDeniedException("/x")));
    }

    @Test
    void failedWriteLeavesOldFileAndNoTemporary() throws IOException {
        Path target = tmp.resolve("out.png");
        AtomicFiles.writeString(target, "old");
        RetouchException e = assertThrows(RetouchException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[1000]);
            throw new IIOException("I/O error writing PNG file!", new IOException("No space left on device"));
        }));
        String m = e.getMessage();
        assertTrue(m.startsWith(target + ": cannot write it (No space left on device)"), m);
        assertTrue(m.contains("free some space"), m);
        assertFalse(m.contains("\n"), m);
        assertEquals("old", Files.readString(target));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary file is left");
        }
    }
}
