package retouch.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import retouch.FuzzInputs;
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
    @TempDir static Path dir;

    @FuzzTest(maxDuration = "5m")
    void probeAndRead(byte[] data) throws IOException {
        Path file = dir.resolve("input.bin");
        Optional<ImageInfo> probed = FuzzInputs.readOrRefused(file, data, ImageFiles::probe);
        if (probed.isEmpty()) return;
        ImageInfo info = probed.get();
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
