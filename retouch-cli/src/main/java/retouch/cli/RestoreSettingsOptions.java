package retouch.cli;

import picocli.CommandLine.Option;
import retouch.nn.restore.RestoreSettings;

/**
 * The restore settings as command-line flags ({@link RestoreSettings}): shared by {@code restore}
 * and {@code eval} so that both run a model the same way. Unset flags leave the choice to the
 * model's model.json.
 */
public final class RestoreSettingsOptions {

    @Option(names = "--quality", paramLabel = "auto|fast|max", defaultValue = "auto",
            description = {"fast: one network pass (no classical stage, no self-ensemble).",
                    "max: the model's refinement stages as well: BM3D's Wiener stage and, for denoise-gray,",
                    "its fusion head (about 5x the time of one pass on a 512x512 photo).",
                    "auto (default): what the model's model.json says."})
    String quality;

    @Option(names = "--refine", paramLabel = "none|wiener|fusion",
            description = "Denoisers: the refinement stage itself (overrides --quality's choice).")
    String refine;

    @Option(names = "--ensemble", paramLabel = "1|2|4|8", defaultValue = "0",
            description = "Self-ensemble: run the image flipped/turned N ways and average (N times the cost; U-Nets 1, 2 or 4).")
    int ensemble;

    @Option(names = "--deblur-mode", paramLabel = "kernel-fit|network",
            description = "Blind deblurring: fit the blur and undo it by plug-and-play (kernel-fit, default) or the network's output alone.")
    String deblurMode;

    @Option(names = "--inpaint-scales", paramLabel = "1|2|3", defaultValue = "0",
            description = "Inpainting: fill wide holes also at 1/2 and 1/4 scale (3, default), 1/2 only (2), or full scale only (1).")
    int inpaintScales;

    @Option(names = "--colour-route", paramLabel = "opponent|rgb",
            description = "A gray denoiser on an RGB photo: opponent colour planes (default) or R, G and B apart.")
    String colourRoute;

    /** The settings these flags describe, with tile side {@code tile}. */
    public RestoreSettings toSettings(int tile) {
        try {
            return new RestoreSettings(quality, refine, ensemble, deblurMode, inpaintScales, colourRoute, tile);
        } catch (retouch.RetouchException e) {
            throw new UsageException(e.getMessage()); // a bad flag value is a bad command line (exit 2)
        }
    }
}
