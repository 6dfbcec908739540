package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
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

    /** Commands that read one image, {in}: each must refuse every bad image. */
    static final List<String> IMAGE_COMMANDS = List.of(
            "degrade {in} -o {tmp}/out.png --degrade noise:gauss:25",
            "restore {in} -o {tmp}/out.png --method median",
            "metrics {camera} {in} --json");

    static Stream<Arguments> commandsAndBadImages() {
        return IMAGE_COMMANDS.stream().flatMap(command -> badImages().map(bad -> Arguments.of(command, bad.get()[0], bad.get()[1])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("commandsAndBadImages")
    void commandRefusesBadImage(String command, String file, String problem) throws IOException {
        assertRefused(Cli.run(commandLine(command, Cli.bad(file))), file, problem);
    }

    /** Good images, bad requests: an unknown degradation spec, a missing dataset, an unknown method, sizes that differ. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            degrade {camera} -o {tmp}/out.png --degrade noise:purple:9            | noise:purple:9 | noise:gauss
            eval --set kodak24 --data {tmp}/no-data-here --task denoise --sigma 25 | kodak24        | ''
            restore {camera} -o {tmp}/out.png --method magic                      | magic          | nlm
            metrics {camera} {chelsea}                                            | chelsea.png    | differs
            bench --arch dcgan --data random --size 48 --steps 1                  | 48             | 28, 32 or 64
            bench --arch dcgan --size 64 --channels 3 --steps 1                   | --size 64      | --data random
            """)
    void badRequestIsRefused(String command, String name, String problem) throws IOException {
        assertRefused(Cli.run(commandLine(command, null)), name, problem);
    }

    /** The words of {@code command} with {tmp} (this test's folder), {in}, {camera} and {chelsea} filled in. */
    private String[] commandLine(String command, Path in) {
        return Arrays.stream(command.split(" ")).map(word -> word.replace("{tmp}", tmp.toString())
                .replace("{in}", String.valueOf(in))
                .replace("{camera}", Cli.sample("camera.png").toString())
                .replace("{chelsea}", Cli.sample("chelsea.png").toString())).toArray(String[]::new);
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
