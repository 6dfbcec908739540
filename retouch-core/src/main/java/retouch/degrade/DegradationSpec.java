package retouch.degrade;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import retouch.RetouchException;
import retouch.image.Resize;

/**
 * Parses degradation specs, the one text form used by the CLI, configs and model files.
 *
 * <p>A spec is a comma-separated list of steps applied in order, e.g.
 * {@code "blur:gauss:1.6,noise:gauss:15,jpeg:40"}. Steps ({@link #FORMS}):
 * <pre>
 *   noise:gauss:SIGMA | noise:gauss:LO-HI   additive Gaussian, σ on the 0–255 scale (range = blind, per image)
 *   noise:poisson:PEAK                      Poisson(x·peak)/peak
 *   noise:sp:AMOUNT                         salt and pepper, fraction of pixels
 *   blur:gauss:SIGMA                        Gaussian blur
 *   blur:motion:LENGTH:ANGLE                linear motion blur (pixels, degrees)
 *   down:bicubic|area|nearest:K | sr:K      downscale by K (sr:K = down:bicubic:K)
 *   jpeg:QUALITY                            JPEG round trip, quality 1–100
 *   mask:box:FRACTION | mask:box:WxH        centre hole (side fraction, or pixels)
 *   mask:boxes:N[:LO-HI]                    N random boxes (optional coverage range)
 *   mask:free[:LO-HI]                       free-form strokes, coverage range (default 0.05-0.5)
 *   mask:thin[:LO-HI]                       thin strokes 3-10 px wide, coverage range (default 0.05-0.3)
 *   mask:blobs[:LO-HI]                      irregular blobs, coverage range (default 0.05-0.5)
 *   mask:file:PATH                          mask picture, white = hole (PATH must not contain a comma)
 *   mask:dir:PATH                           per image a random mask picture from a folder (seeded)
 * </pre>
 * Mask steps accept a trailing {@code :fill=V} (for {@code mask:file}: {@code mask:file:fill=V:PATH}).
 * {@link Degradation#spec()} of a parsed degradation parses back to an equal one.
 */
public final class DegradationSpec {
    private DegradationSpec() {}

    /** The valid forms, for help texts and error messages. */
    public static final List<String> FORMS = List.of(
            "noise:gauss:SIGMA", "noise:gauss:LO-HI", "noise:poisson:PEAK", "noise:sp:AMOUNT",
            "blur:gauss:SIGMA", "blur:motion:LENGTH:ANGLE", "down:bicubic|area|nearest:K", "sr:K",
            "jpeg:QUALITY", "mask:box:FRACTION", "mask:box:WxH", "mask:boxes:N[:LO-HI]",
            "mask:free[:LO-HI]", "mask:thin[:LO-HI]", "mask:blobs[:LO-HI]", "mask:file:PATH", "mask:dir:PATH");

    /** Parses one step or a comma-separated chain; a single step is returned unwrapped. */
    public static Degradation parse(String spec) {
        if (spec == null || spec.isBlank()) throw error(spec, "empty spec");
        String[] parts = spec.split(",", -1);
        List<Degradation> steps = new ArrayList<>();
        for (String p : parts) steps.add(parseStep(p.trim(), spec));
        return steps.size() == 1 ? steps.get(0) : new Chain(steps);
    }

    /**
     * One known blur as users write it for deblurring: {@code gauss:S} or {@code motion:LENGTH:ANGLE}
     * (a leading {@code blur:} is allowed).
     *
     * @throws IllegalArgumentException naming what is wrong and the two forms
     */
    public static Degradation parseBlur(String spec) {
        String full = spec.toLowerCase(Locale.ROOT).startsWith("blur:") ? spec : "blur:" + spec;
        Degradation d;
        try {
            d = parse(full);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage() + " (use gauss:S or motion:LENGTH:ANGLE)", e);
        }
        if (Deconvolution.blurOf(d) != d) {
            throw new IllegalArgumentException("takes one blur, gauss:S or motion:LENGTH:ANGLE, not " + spec);
        }
        return d;
    }

    private static Degradation parseStep(String step, String whole) {
        if (step.isEmpty()) throw error(whole, "empty step");
        try {
            String[] t = step.split(":");
            if (t.length == 0) throw error(whole, "empty step '" + step + "'"); // ":" or "::" splits into nothing
            String kind = t[0].toLowerCase(Locale.ROOT);
            switch (kind) {
                case "noise" -> {
                    need(t, 3, 3, step, whole);
                    switch (t[1].toLowerCase(Locale.ROOT)) {
                        case "gauss", "gaussian" -> {
                            double[] r = range(t[2]);
                            return new GaussianNoise(r[0], r[1]);
                        }
                        case "poisson" -> { return new PoissonNoise(num(t[2])); }
                        case "sp", "saltpepper", "s&p" -> { return new SaltPepperNoise(num(t[2])); }
                        default -> throw error(whole, "unknown noise '" + t[1] + "'");
                    }
                }
                case "blur" -> {
                    if (t.length < 2) throw error(whole, "'" + step + "' needs a blur type");
                    switch (t[1].toLowerCase(Locale.ROOT)) {
                        case "gauss", "gaussian" -> {
                            need(t, 3, 3, step, whole);
                            return new GaussianBlur(num(t[2]));
                        }
                        case "motion" -> {
                            need(t, 4, 4, step, whole);
                            return new MotionBlur(num(t[2]), num(t[3]));
                        }
                        default -> throw error(whole, "unknown blur '" + t[1] + "'");
                    }
                }
                case "down" -> {
                    need(t, 3, 3, step, whole);
                    Resize.Method method;
                    try {
                        method = Resize.Method.parse(t[1]);
                    } catch (RetouchException e) {
                        throw error(whole, "unknown resize method '" + t[1] + "' (bicubic, area or nearest)");
                    }
                    return new Downsample(integer(t[2]), method);
                }
                case "sr" -> {
                    need(t, 2, 2, step, whole);
                    return new Downsample(integer(t[1]));
                }
                case "jpeg" -> {
                    need(t, 2, 2, step, whole);
                    return new JpegCompression(integer(t[1]));
                }
                case "mask" -> { return parseMask(step, whole); }
                default -> throw error(whole, "unknown step '" + step + "'");
            }
        } catch (NumberFormatException e) {
            throw error(whole, "bad number in '" + step + "'");
        } catch (IllegalArgumentException e) {
            throw error(whole, e.getMessage());
        }
    }

    private static Degradation parseMask(String step, String whole) {
        boolean dir = step.regionMatches(true, 0, "mask:dir:", 0, 9);
        if (dir || step.regionMatches(true, 0, "mask:file:", 0, 10)) {
            String rest = step.substring(dir ? 9 : 10);
            float fill = 0f;
            if (rest.startsWith("fill=")) {
                int c = rest.indexOf(':');
                if (c < 0) throw error(whole, "'" + step + "' needs a path");
                fill = (float) num(rest.substring(5, c));
                rest = rest.substring(c + 1);
            }
            if (rest.isEmpty()) throw error(whole, "'" + step + "' needs a path");
            return (dir ? MaskDegradation.fromDir(Path.of(rest)) : MaskDegradation.fromFile(Path.of(rest))).withFill(fill);
        }
        List<String> t = new ArrayList<>(List.of(step.split(":")));
        float fill = 0f;
        String last = t.get(t.size() - 1);
        if (last.startsWith("fill=")) {
            fill = (float) num(last.substring(5));
            t.remove(t.size() - 1);
        }
        if (t.size() < 2) throw error(whole, "'" + step + "' needs a mask type");
        String type = t.get(1).toLowerCase(Locale.ROOT);
        MaskDegradation m;
        switch (type) {
            case "box" -> {
                if (t.size() != 3) throw error(whole, "'" + step + "' takes one value");
                String v = t.get(2).toLowerCase(Locale.ROOT);
                if (v.contains("x")) {
                    String[] wh = v.split("x");
                    if (wh.length != 2) throw error(whole, "bad box size '" + v + "'");
                    m = MaskDegradation.centerBox(integer(wh[1]), integer(wh[0]));
                } else {
                    m = MaskDegradation.centerBox(num(v));
                }
            }
            case "boxes" -> {
                if (t.size() == 3) {
                    m = MaskDegradation.boxes(integer(t.get(2)));
                } else if (t.size() == 4) {
                    double[] r = range(t.get(3));
                    m = MaskDegradation.boxes(integer(t.get(2)), r[0], r[1]);
                } else {
                    throw error(whole, "'" + step + "' takes N[:LO-HI]");
                }
            }
            case "free" -> m = coverageMask(t, whole, step, 0.05, 0.5, MaskDegradation::freeForm);
            case "thin" -> m = coverageMask(t, whole, step, 0.05, 0.3, MaskDegradation::thinStrokes);
            case "blobs" -> m = coverageMask(t, whole, step, 0.05, 0.5, MaskDegradation::blobs);
            default -> throw error(whole, "unknown mask '" + t.get(1) + "'");
        }
        return m.withFill(fill);
    }

    private static void need(String[] t, int min, int max, String step, String whole) {
        if (t.length < min || t.length > max) throw error(whole, "'" + step + "' has " + (t.length - 1) + " value(s)");
    }

    private static double num(String s) {
        double v = Double.parseDouble(s.trim());
        if (!Double.isFinite(v)) throw new NumberFormatException(s);
        return v;
    }

    private static int integer(String s) {
        return Integer.parseInt(s.trim());
    }

    /** "25" → [25, 25]; "0-55" → [0, 55]. */
    /** A mask generator taking an optional coverage range ({@code mask:TYPE[:LO-HI]}), [lo, hi] when none is given. */
    private static MaskDegradation coverageMask(List<String> t, String whole, String step, double lo, double hi,
                                                java.util.function.BiFunction<Double, Double, MaskDegradation> make) {
        if (t.size() == 2) return make.apply(lo, hi);
        if (t.size() != 3) throw error(whole, "'" + step + "' takes [LO-HI]");
        double[] r = range(t.get(2));
        return make.apply(r[0], r[1]);
    }

    private static double[] range(String s) {
        int dash = s.indexOf('-', 1);
        if (dash < 0) {
            double v = num(s);
            return new double[] {v, v};
        }
        return new double[] {num(s.substring(0, dash)), num(s.substring(dash + 1))};
    }

    private static RetouchException error(String spec, String what) {
        return new RetouchException("bad degradation spec '" + spec + "': " + what
                + "; valid forms (comma-separated for a chain): " + String.join(", ", FORMS));
    }
}
