package retouch.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import retouch.RetouchException;

/**
 * Fuzz target for the degradation-spec parser ({@link DegradationSpec#parse}, {@link DegradationSpec#parseBlur}):
 * a bad spec fails with {@link RetouchException} ({@code parse}) or {@link IllegalArgumentException}
 * ({@code parseBlur}, as documented), never with another exception; a spec that parses prints
 * ({@link Degradation#spec()}) to a spec that parses back to the same text.
 *
 * <p>The input bytes are the spec as UTF-8, so the seeds under
 * {@code src/test/resources/retouch/degrade/DegradationSpecFuzzTestInputs/parse/} are plain text.
 * Specs naming files or folders ({@code mask:file:}, {@code mask:dir:}) are skipped: they read the disk.
 */
class DegradationSpecFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void parse(byte[] data) {
        String spec = new String(data, StandardCharsets.UTF_8);
        String lower = spec.toLowerCase(Locale.ROOT);
        if (lower.contains("file:") || lower.contains("dir:")) return;
        Degradation d;
        try {
            d = DegradationSpec.parse(spec);
        } catch (RetouchException e) {
            d = null;
        }
        if (d != null) {
            String printed = d.spec();
            assertEquals(printed, DegradationSpec.parse(printed).spec(), () -> "spec '" + spec + "' printed as '" + printed + "'");
        }
        try {
            DegradationSpec.parseBlur(spec);
        } catch (IllegalArgumentException e) {
            // documented: a wrong blur names what is wrong
        }
    }
}
