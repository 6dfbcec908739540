package retouch.nn.restore;

import java.util.List;
import java.util.Locale;
import retouch.RetouchException;
import retouch.nn.store.ModelMeta;

/**
 * How a restoration runs, beyond the image and its noise level: one value that the CLI's flags,
 * the Java API's options and the server's form fields all fill in, so that no switch hides in a
 * JVM property. Every field has an "unset" value that means "what the model's model.json says"
 * (or the built-in default when it says nothing).
 *
 * @param quality {@code auto} (model.json's choice), {@code fast} (one network pass: no classical
 *     refinement, no self-ensemble) or {@code max} (the model's best refinement: BM3D's Wiener stage
 *     and, for models that have one, the fusion head; several times slower, see
 *     {@code retouch restore --help})
 * @param refine denoisers: {@code none}, {@code wiener} or {@code fusion}; {@code null} follows
 *     {@code quality}
 * @param ensemble self-ensemble passes (1, 2, 4 or 8: the image flipped and turned, results
 *     averaged); 0 follows {@code quality} and model.json
 * @param deblur blind deblurring: {@code kernel-fit} (fit the blur, then plug-and-play) or
 *     {@code network} (the network's output as it is); {@code null}: {@code network} for
 *     {@code fast}, else model.json's {@code deblur_mode} (kernel-fit when absent)
 * @param inpaintScales inpainting: 1 (full scale only), 2 (and ½) or 3 (and ¼); 0: 3
 * @param colour a gray denoiser on an RGB photo: {@code opponent} (luminance and two chroma
 *     planes) or {@code rgb} (R, G and B apart); {@code null}: opponent
 * @param tile tile side in pixels (memory grows with it, not with the image); 0: the default
 */
public record RestoreSettings(String quality, String refine, int ensemble, String deblur, int inpaintScales, String colour, int tile) {

    public static final List<String> QUALITIES = List.of("auto", "fast", "max");
    public static final List<String> REFINES = List.of("none", "wiener", "fusion");
    public static final List<String> DEBLUR_MODES = List.of("kernel-fit", "network");
    public static final List<String> COLOUR_ROUTES = List.of("opponent", "rgb");
    /** Tile side when none is given: a 512×512 photo runs in one pass (no overlap to compute twice). */
    public static final int DEFAULT_TILE = 512;

    /** Checks every value, naming the setting and what it accepts. */
    public RestoreSettings {
        quality = quality == null ? "auto" : quality.trim().toLowerCase(Locale.ROOT);
        if (!QUALITIES.contains(quality)) throw bad("quality", quality, QUALITIES);
        refine = lower(refine);
        if (refine != null && !REFINES.contains(refine)) throw bad("refine", refine, REFINES);
        if (ensemble != 0 && ensemble != 1 && ensemble != 2 && ensemble != 4 && ensemble != 8) {
            throw new RetouchException("ensemble must be 1, 2, 4 or 8 passes, not " + ensemble);
        }
        deblur = lower(deblur);
        if (deblur != null && !DEBLUR_MODES.contains(deblur)) throw bad("deblur mode", deblur, DEBLUR_MODES);
        if (inpaintScales < 0 || inpaintScales > 3) throw new RetouchException("inpaint scales must be 1, 2 or 3, not " + inpaintScales);
        colour = lower(colour);
        if (colour != null && !COLOUR_ROUTES.contains(colour)) throw bad("colour route", colour, COLOUR_ROUTES);
        if (tile != 0 && tile < 32) throw new RetouchException("tile must be at least 32 pixels, not " + tile);
        if (tile > 8192) throw new RetouchException("tile must be at most 8192 pixels, not " + tile + " (memory grows with the tile's area)");
    }

    private static String lower(String s) {
        return s == null || s.isBlank() ? null : s.trim().toLowerCase(Locale.ROOT);
    }

    private static RetouchException bad(String what, String value, List<String> allowed) {
        return new RetouchException(what + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
    }

    /** Everything as the model says. */
    public static RestoreSettings defaults() {
        return new RestoreSettings("auto", null, 0, null, 0, null, 0);
    }

    public RestoreSettings withQuality(String q) { return new RestoreSettings(q, refine, ensemble, deblur, inpaintScales, colour, tile); }
    public RestoreSettings withRefine(String r) { return new RestoreSettings(quality, r, ensemble, deblur, inpaintScales, colour, tile); }
    public RestoreSettings withEnsemble(int n) { return new RestoreSettings(quality, refine, n, deblur, inpaintScales, colour, tile); }
    public RestoreSettings withDeblur(String d) { return new RestoreSettings(quality, refine, ensemble, d, inpaintScales, colour, tile); }
    public RestoreSettings withInpaintScales(int s) { return new RestoreSettings(quality, refine, ensemble, deblur, s, colour, tile); }
    public RestoreSettings withColour(String c) { return new RestoreSettings(quality, refine, ensemble, deblur, inpaintScales, c, tile); }
    public RestoreSettings withTile(int t) { return new RestoreSettings(quality, refine, ensemble, deblur, inpaintScales, colour, t); }

    /** The tile side to use. */
    public int tileOr(int fallback) {
        return tile > 0 ? tile : fallback > 0 ? fallback : DEFAULT_TILE;
    }

    /**
     * The refinement stage of a denoiser: the explicit {@code refine}; else {@code none} for
     * {@code fast}, the model's best for {@code max} ({@code fusion} when it has a fusion head,
     * else {@code wiener}); else model.json's {@code refine}.
     *
     * @throws RetouchException for {@code fusion} on a model without a fusion head
     */
    public String refineFor(ModelMeta meta) {
        boolean head = meta.intParam("fusion_depth", 0) > 0;
        String mode = refine != null ? refine
                : quality.equals("fast") ? "none"
                : quality.equals("max") ? (head ? "fusion" : "wiener")
                : meta.stringParam("refine", "none");
        if (!REFINES.contains(mode)) {
            throw new RetouchException("model " + label(meta) + ": model.json's refine must be one of " + String.join(", ", REFINES) + ", not '" + mode + "'");
        }
        if (mode.equals("fusion") && !head) {
            throw new RetouchException("refine=fusion needs a model with a fusion head (retouch train fusion); " + label(meta)
                    + " has none: use refine=wiener or quality=max");
        }
        return mode;
    }

    /** Self-ensemble passes: the explicit value; else 1 for {@code fast}; else model.json's {@code ensemble} (1 when absent). */
    public int ensembleFor(ModelMeta meta) {
        if (ensemble > 0) return ensemble;
        return quality.equals("fast") ? 1 : Math.max(1, meta.intParam("ensemble", 1));
    }

    /**
     * Self-ensemble passes of a network whose best quality is all eight flips and quarter turns
     * (U-Net inpainters, low-resolution super-resolution): the explicit value; else 1 for
     * {@code fast}, 8 for {@code max}, model.json's {@code ensemble} (1 when absent) for {@code auto}.
     */
    public int ensembleUpToEight(ModelMeta meta) {
        if (ensemble > 0) return ensemble;
        return quality.equals("fast") ? 1 : quality.equals("max") ? 8 : Math.max(1, meta.intParam("ensemble", 1));
    }

    /**
     * Blind deblurring's mode: the explicit {@code deblur}; else {@code network} for {@code fast}
     * (one pass); else model.json's {@code deblur_mode} ({@code kernel-fit} when absent).
     *
     * @throws RetouchException when model.json names no known mode
     */
    public String deblurModeFor(ModelMeta meta) {
        if (deblur != null) return deblur;
        if (quality.equals("fast")) return "network";
        String mode = meta.stringParam("deblur_mode", "kernel-fit");
        if (!DEBLUR_MODES.contains(mode)) {
            throw new RetouchException("model " + label(meta) + ": model.json's deblur_mode must be one of " + String.join(", ", DEBLUR_MODES) + ", not '" + mode + "'");
        }
        return mode;
    }

    public int inpaintScalesOr3() {
        return inpaintScales == 0 ? 3 : inpaintScales;
    }

    public boolean opponentColour() {
        return !"rgb".equals(colour);
    }

    private static String label(ModelMeta meta) {
        return meta.name() == null ? "this model" : meta.name();
    }
}
