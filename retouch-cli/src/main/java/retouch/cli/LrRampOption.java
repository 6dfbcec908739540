package retouch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import retouch.RetouchException;
import retouch.nn.train.Trainer;

/** {@code --lr-ramp FROM:N}, shared by the training commands whose rate follows a cosine schedule. */
// Help texts: src/main/resources/retouch/cli/LrRampOption.properties
@Command(resourceBundle = "retouch.cli.LrRampOption")
final class LrRampOption {
    @Option(names = "--lr-ramp", paramLabel = "FROM:N") String value;

    /** {@code builder} with the ramp set when the option was given. */
    Trainer.Builder applyTo(Trainer.Builder builder) {
        long[] ramp = parse(value);
        return ramp == null ? builder : builder.optLrRamp(ramp[0], ramp[1]);
    }

    /** {@code FROM:N} as two longs, or null when absent. */
    static long[] parse(String s) {
        if (s == null) return null;
        String[] parts = s.split(":");
        try {
            if (parts.length == 2) {
                long from = Long.parseLong(parts[0].trim()), n = Long.parseLong(parts[1].trim());
                if (from >= 0 && n > 0) return new long[] {from, n};
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new RetouchException("--lr-ramp must be FROM:N with FROM >= 0 and N > 0 (e.g. 15500:1000), not '" + s + "'");
    }
}
