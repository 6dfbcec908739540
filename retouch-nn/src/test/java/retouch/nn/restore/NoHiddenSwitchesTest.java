package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No JVM property changes how an image is restored: such choices are {@link RestoreSettings}
 * (CLI flags, API options, form fields). What may stay a property is where things are and how
 * much is allowed (deployment), listed here with why.
 */
class NoHiddenSwitchesTest {
    private static final Set<String> DEPLOYMENT = Set.of(
            "retouch.home",                // where the checkout / data live
            "retouch.models",              // model search path
            "retouch.models.cache",        // where the retouch-models jar's models are unpacked
            "retouch.download",            // whether datasets may be downloaded
            "retouch.maxPixels",           // decoding limit: refuses, never changes a result
            "retouch.serve.models-only",   // which models a server lists
            "retouch.nchw-only");          // memory layout for engine comparisons; results are equal either way

    private static final Pattern PROPERTY = Pattern.compile("\"(retouch\\.[A-Za-z0-9.\\-]+)\"");

    @Test
    void everyRetouchPropertyReadInMainCodeIsADeploymentSetting() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(root, 12)) {
            for (Path p : (Iterable<Path>) paths.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/"))::iterator) {
                files++;
                String src = Files.readString(p);
                if (!src.contains("getProperty") && !src.contains("getBoolean(") && !src.contains("getInteger(")) continue;
                Matcher m = PROPERTY.matcher(src);
                while (m.find()) {
                    String key = m.group(1);
                    // package names and log categories are not properties read
                    if (key.startsWith("retouch.server") || key.startsWith("retouch.cli") || key.startsWith("retouch.nn") || key.startsWith("retouch.api")) continue;
                    if (!DEPLOYMENT.contains(key)) found.add(root.relativize(p) + ": " + key);
                }
            }
        }
        assertTrue(files > 100, "the scan must see the sources, saw " + files + " files under " + root);
        assertEquals(List.of(), found, "properties that could change a result; make them RestoreSettings fields");
    }
}
