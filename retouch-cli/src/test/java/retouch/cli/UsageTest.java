package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What a user sees when the command line names no command, or asks for help. */
class UsageTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = RetouchCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void noCommandPrintsUsageToStderrAndExits2() {
        Run r = run();
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals("", r.out(), "stdout stays clean for scripts");
        assertTrue(r.err().contains("Usage: retouch") && r.err().contains("restore"), r.err());
        Run train = run("train");
        assertEquals(ExitCodes.USAGE, train.code());
        assertTrue(train.err().contains("Usage: retouch train") && train.err().contains("denoise"), train.err());
    }

    @Test
    void trainDenoiseHelpNamesItself() {
        Run r = run("train", "denoise", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("Usage: retouch train denoise"), r.out().lines().findFirst().orElse(""));
        assertTrue(run("train", "restore", "--help").out().startsWith("Usage: retouch train denoise"), "the alias shows the same help");
    }

    @Test
    void deblurGanIsACommandOfItsOwnAndAnOutFolderNamedLikeItChangesNothing() {
        TrainInpaintCommand inpaint = new TrainInpaintCommand();
        new picocli.CommandLine(inpaint).parseArgs("--out", "deblur-gan");
        assertEquals("inpaint", inpaint.defaultTask(), "a run folder called deblur-gan must not switch the task");
        assertEquals("deblur-gan", new TrainDeblurGanCommand().defaultTask());
        assertTrue(run("train", "deblur-gan", "--help").out().startsWith("Usage: retouch train deblur-gan"));
    }

    @Test
    void restoreHelpStatesBothQualityPathsAndTheirCost() {
        String help = run("restore", "--help").out();
        assertTrue(help.contains("--quality fast") && help.contains("--quality max") && help.contains("5x the time"), help);
    }
}
