package retouch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import retouch.nn.restore.RestoreSettings;

/**
 * The restore settings as command-line flags ({@link RestoreSettings}): shared by {@code restore}
 * and {@code eval} so that both run a model the same way. Unset flags leave the choice to the
 * model's model.json.
 */
// Help texts: src/main/resources/retouch/cli/RestoreSettingsOptions.properties
@Command(resourceBundle = "retouch.cli.RestoreSettingsOptions")
public final class RestoreSettingsOptions {

    @Option(names = "--quality", paramLabel = "auto|fast|max", defaultValue = "auto") String quality;

    @Option(names = "--refine", paramLabel = "none|wiener|fusion") String refine;

    @Option(names = "--ensemble", paramLabel = "1|2|4|8", defaultValue = "0") int ensemble;

    @Option(names = "--deblur-mode", paramLabel = "kernel-fit|network") String deblurMode;

    @Option(names = "--inpaint-scales", paramLabel = "1|2|3", defaultValue = "0") int inpaintScales;

    @Option(names = "--colour-route", paramLabel = "opponent|rgb") String colourRoute;

    /** The settings these flags describe, with tile side {@code tile}. */
    public RestoreSettings toSettings(int tile) {
        try {
            return new RestoreSettings(quality, refine, ensemble, deblurMode, inpaintScales, colourRoute, tile);
        } catch (retouch.RetouchException e) {
            throw new UsageException(e.getMessage()); // a bad flag value is a bad command line (exit 2)
        }
    }
}
