package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input: non-zero exit, one line naming the file and the problem, no stack trace, and no
 * output file left behind.
 */
class BadInputTest {
    @TempDir Path tmp;

    static Stream<Arguments> badImages() {
        return Stream.of(
                Arguments.of("missing.png", "no such file"),
                Arguments.of("empty.png", "empty"),
                Arguments.of("truncated.png", "truncated"),
                Arguments.of("truncated.jpg", "truncated"),
                Arguments.of("text.png", "not a"),
                Arguments.of("huge-header.png", "megapixels"));
    }

    @ParameterizedTest(name = "degrade {0}")
    @MethodSource("badImages")
    void degradeRefusesBadImage(String file, String problem) throws IOException {
        Path in = Cli.bad(file);
        Path out = tmp.resolve("out.png");
        assertRefused(Cli.run("degrade", in.toString(), "-o", out.toString(), "--degrade", "noise:gauss:25"), file, problem);
    }

    @ParameterizedTest(name = "restore {0}")
    @MethodSource("badImages")
    void restoreRefusesBadImage(String file, String problem) throws IOException {
        Path in = Cli.bad(file);
        Path out = tmp.resolve("out.png");
        assertRefused(Cli.run("restore", in.toString(), "-o", out.toString(), "--method", "median"), file, problem);
    }

    @ParameterizedTest(name = "metrics {0}")
    @MethodSource("badImages")
    void metricsRefusesBadImage(String file, String problem) throws IOException {
        Path in = Cli.bad(file);
        assertRefused(Cli.run("metrics", Cli.sample("camera.png").toString(), in.toString(), "--json"), file, problem);
    }

    @org.junit.jupiter.api.Test
    void unknownDegradationSpec() throws IOException {
        Path out = tmp.resolve("out.png");
        assertRefused(Cli.run("degrade", Cli.sample("camera.png").toString(), "-o", out.toString(), "--degrade", "noise:purple:9"),
                "noise:purple:9", "noise:gauss");
    }

    @org.junit.jupiter.api.Test
    void missingDataset() throws IOException {
        Path nowhere = tmp.resolve("no-data-here");
        assertRefused(Cli.run("eval", "--set", "kodak24", "--data", nowhere.toString(), "--task", "denoise", "--sigma", "25"),
                "kodak24", "");
    }

    @org.junit.jupiter.api.Test
    void unknownMethod() throws IOException {
        Path out = tmp.resolve("out.png");
        assertRefused(Cli.run("restore", Cli.sample("camera.png").toString(), "-o", out.toString(), "--method", "magic"),
                "magic", "nlm");
    }

    @org.junit.jupiter.api.Test
    void sizeMismatchInMetrics() throws IOException {
        assertRefused(Cli.run("metrics", Cli.sample("camera.png").toString(), Cli.sample("chelsea.png").toString()),
                "chelsea.png", "differs");
    }

    @org.junit.jupiter.api.Test
    void usageErrorsExitTwo() {
        Cli.Result r = Cli.run("degrade", "--no-such-option");
        assertEquals(ExitCodes.USAGE, r.code());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    private void assertRefused(Cli.Result r, String name, String problem) throws IOException {
        assertEquals(ExitCodes.BAD_INPUT, r.code(), () -> "exit code; stderr: " + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), () -> "one line expected: " + r.err());
        String line = lines.get(0);
        assertTrue(line.startsWith("retouch: "), line);
        assertTrue(line.contains(name), () -> "message should name " + name + ": " + line);
        assertTrue(line.toLowerCase().contains(problem.toLowerCase()), () -> "message should say '" + problem + "': " + line);
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "nothing may be left behind");
        }
    }
}
