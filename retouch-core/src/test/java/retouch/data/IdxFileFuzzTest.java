package retouch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import retouch.FuzzInputs;
import retouch.RetouchException;

/**
 * Fuzz target for the IDX reader ({@link IdxFile#read(Path)}, raw or gzipped): a damaged file fails
 * with {@link RetouchException}, never another exception or an allocation the data cannot fill; a
 * file that reads has exactly the product of its dimensions in bytes. Inputs that read as a 3-D
 * tensor are also read as a labelled set against themselves (dimension checks of the pair).
 *
 * <p>Seeds: {@code src/test/resources/retouch/data/IdxFileFuzzTestInputs/read/}.
 */
class IdxFileFuzzTest {
    @TempDir static Path dir;

    @FuzzTest(maxDuration = "5m")
    void read(byte[] data) throws IOException {
        Path file = dir.resolve("input-idx-ubyte");
        Optional<IdxFile.Tensor> read = FuzzInputs.readOrRefused(file, data, IdxFile::read);
        if (read.isEmpty()) return;
        IdxFile.Tensor t = read.get();
        long size = 1;
        for (int d : t.dims()) size *= d;
        assertEquals(size, t.data().length);
        try {
            IdxFile.read(file, file, List.of("a", "b", "c"));
        } catch (RetouchException e) {
            // an image file is not a label file: refused with a message
        }
    }
}
