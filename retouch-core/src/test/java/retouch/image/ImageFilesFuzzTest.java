package retouch.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import retouch.RetouchException;

/**
 * Fuzz target for the image probe and decoder ({@link ImageFiles#probe}, {@link ImageFiles#readWithAlpha},
 * {@link ImageFiles#read}): whatever the bytes, the only exception that may escape is a
 * {@link RetouchException} naming the file; no NullPointerException, index error, OutOfMemoryError
 * or endless loop, and a decoded image has the probed size.
 *
 * <p>{@code mvn test} replays the inputs under
 * {@code src/test/resources/retouch/image/ImageFilesFuzzTestInputs/probeAndRead/} (regression mode);
 * {@code bench/fuzz.sh} fuzzes it (JAZZER_FUZZ=1).
 */
class ImageFilesFuzzTest {
    /** Small enough that a fuzzed header cannot make a decode slow; checked from the header. */
    private static final long MAX_PIXELS = 1 << 20;
    private static Path dir;
    private static Path file;

    @BeforeAll
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("retouch-fuzz-image-");
        file = dir.resolve("input.bin");
    }

    @AfterAll
    static void tearDown() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "5m")
    void probeAndRead(byte[] data) throws IOException {
        Files.write(file, data);
        ImageInfo info;
        try {
            info = ImageFiles.probe(file);
        } catch (RetouchException e) {
            return;
        }
        assertTrue(info.width() > 0 && info.height() > 0, () -> "probe gave a size of " + info.width() + "x" + info.height());
        try {
            ReadOptions o = ReadOptions.defaults().withMaxPixels(MAX_PIXELS);
            LoadedImage li = ImageFiles.readWithAlpha(file, o);
            Image im = li.image();
            assertTrue(im.width() > 0 && im.height() > 0 && (long) im.width() * im.height() == info.pixels(),
                    () -> "decoded " + im.width() + "x" + im.height() + ", probed " + info.width() + "x" + info.height());
            if (li.hasAlpha()) ImageFiles.read(file, o.withBackground(0f));
        } catch (RetouchException e) {
            // a file the probe accepted may still fail to decode (truncated, corrupt): that is a RetouchException too
        }
    }
}
