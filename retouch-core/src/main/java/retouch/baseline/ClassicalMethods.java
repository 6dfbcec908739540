package retouch.baseline;

import retouch.restore.RestoreParams;
import java.util.List;
import java.util.Locale;

import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.photo.Photo;

import retouch.RetouchException;
import retouch.degrade.NoiseEstimator;
import retouch.image.Image;
import retouch.image.Resize;

/**
 * The classical baselines by name:
 * <ul>
 * <li>{@code nlm} — non-local means (Buades, Coll &amp; Morel, CVPR 2005) through OpenCV's
 *     {@code fastNlMeansDenoising}/{@code fastNlMeansDenoisingColored} on 8-bit data. Its filter
 *     strength h, patch and search sizes follow σ by {@link #nlmSettings(double, boolean)}, a rule
 *     tuned on BSD400 training images (never on the test sets).</li>
 * <li>{@code bm3d} — BM3D (Dabov et al., IEEE TIP 2007), CBM3D for colour ({@link Bm3d}).</li>
 * <li>{@code tv} — total-variation denoising by Chambolle's projection algorithm
 *     ({@link TvDenoiser}), weight from σ by {@link #tvWeight(double)} (tuned the same way).</li>
 * <li>{@code gaussian}, {@code median} — the textbook filters (OpenCV), kernel 2r+1.</li>
 * <li>{@code telea}, {@code ns} — inpainting by fast marching (Telea, J. Graphics Tools 2004) and
 *     Navier–Stokes (Bertalmío, Bertozzi &amp; Sapiro, CVPR 2001), OpenCV {@code Photo.inpaint}.</li>
 * <li>{@code bicubic}, {@code nearest} — upscaling by the SR scale ({@link Resize}, MATLAB-compatible).</li>
 * </ul>
 * Denoisers estimate σ with {@link NoiseEstimator} when it is not given.
 */
public final class ClassicalMethods {
    private ClassicalMethods() {}

    /** The names {@link #byName} accepts. */
    public static final List<String> NAMES = List.of("nlm", "bm3d", "tv", "gaussian", "median", "telea", "ns", "bicubic", "nearest");

    /** The method called {@code name} (case-insensitive). */
    public static ClassicalMethod byName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "nlm" -> method("nlm", ClassicalMethods::nlm);
            case "bm3d" -> method("bm3d", (im, p) -> Bm3d.denoise(im, sigmaOf(im, p)));
            case "tv" -> method("tv", (im, p) -> TvDenoiser.denoise(im, tvWeight(sigmaOf(im, p))).clip());
            case "gaussian" -> method("gaussian", ClassicalMethods::gaussian);
            case "median" -> method("median", ClassicalMethods::median);
            case "telea" -> method("telea", (im, p) -> inpaint(im, p, Photo.INPAINT_TELEA));
            case "ns" -> method("ns", (im, p) -> inpaint(im, p, Photo.INPAINT_NS));
            case "bicubic" -> method("bicubic", (im, p) -> Resize.scale(im, scaleOf(p), Resize.Method.BICUBIC).clip());
            case "nearest" -> method("nearest", (im, p) -> Resize.scale(im, scaleOf(p), Resize.Method.NEAREST).clip());
            default -> throw new RetouchException("unknown classical method '" + name + "': use one of " + String.join(", ", NAMES));
        };
    }

    private static ClassicalMethod method(String name, java.util.function.BiFunction<Image, RestoreParams, Image> f) {
        return new ClassicalMethod() {
            @Override public String name() { return name; }
            @Override public Image apply(Image degraded, RestoreParams params) { return f.apply(degraded, params == null ? RestoreParams.defaults() : params); }
            @Override public String toString() { return name; }
        };
    }

    /** NL-means settings for OpenCV: filter strength h (0–255 units), template and search window sizes. */
    public record NlmSettings(float h, int template, int search) {}

    /**
     * NL-means settings for noise σ (0–255). OpenCV's weight is exp(−d²/h²) without the 2σ²
     * offset of the IPOL reference (Buades, Coll &amp; Morel, IPOL 2011), so its best h is about σ
     * rather than 0.4σ. Chosen by a grid search (h = 0.6σ…1.3σ, patch 3/5/7/9, search 21) on 30
     * BSD400 training images with σ 10–75 (bench/classical-baselines.sh nlm-grid; mean PSNR 32.84/30.44/27.51/
     * 25.85/24.03/21.85 dB at σ 10/15/25/35/50/75):
     * σ ≤ 20: h = 1.1σ, 3×3 patches; σ ≤ 40: h = 0.9σ, 5×5; above: h = 0.8σ, 5×5; search window 21.
     * Colour images use the same h for luminance and colour components (not tuned separately).
     */
    public static NlmSettings nlmSettings(double sigma, boolean color) {
        double s = Math.max(1, sigma);
        if (s <= 20) return new NlmSettings((float) (1.1 * s), 3, 21);
        if (s <= 40) return new NlmSettings((float) (0.9 * s), 5, 21);
        return new NlmSettings((float) (0.8 * s), 5, 21);
    }

    /**
     * TV weight ([0,1] intensity units) for noise σ (0–255): {@code (0.55 + 0.006σ)·σ/255}, fitted
     * to the best factors of a grid search on 30 BSD400 training images (0.6 at σ 10, 0.7–0.8 at
     * σ 25–35, 0.9–1.0 at σ 50–75). OpenCV's TV-L1 ({@code Photo.denoise_TVL1}) was measured as
     * well and is 2–5 dB worse on Gaussian noise, so it is not offered.
     */
    public static double tvWeight(double sigma) {
        double s = Math.max(0.5, sigma);
        return Math.min(1.1, 0.55 + 0.006 * s) * s / 255.0;
    }

    private static double sigmaOf(Image im, RestoreParams p) {
        if (!Double.isNaN(p.sigma())) {
            if (p.sigma() < 0) throw new RetouchException("noise sigma must be >= 0, got " + p.sigma());
            return p.sigma();
        }
        return NoiseEstimator.estimate(im);
    }

    private static int scaleOf(RestoreParams p) {
        int k = p.scale() == 0 ? 2 : p.scale();
        if (k < 1) throw new RetouchException("upscaling factor must be >= 1, got " + k);
        return k;
    }

    private static Image nlm(Image im, RestoreParams p) {
        double sigma = sigmaOf(im, p);
        NlmSettings s = nlmSettings(sigma, !im.isGray());
        return OpenCv.apply(OpenCv.toMat8(im), (src, dst) -> {
            if (im.isGray()) {
                Photo.fastNlMeansDenoising(src, dst, s.h(), s.template(), s.search());
            } else {
                Photo.fastNlMeansDenoisingColored(src, dst, s.h(), s.h(), s.template(), s.search());
            }
        });
    }

    private static Image gaussian(Image im, RestoreParams p) {
        int r = p.radius() == 0 ? 2 : p.radius();
        if (r < 1) throw new RetouchException("filter radius must be >= 1, got " + r);
        return OpenCv.apply(OpenCv.toMat32(im), (src, dst) ->
                Imgproc.GaussianBlur(src, dst, new Size(2 * r + 1, 2 * r + 1), r / 2.0, r / 2.0, org.opencv.core.Core.BORDER_REFLECT_101)).clip();
    }

    private static Image median(Image im, RestoreParams p) {
        int r = p.radius() == 0 ? 1 : p.radius();
        if (r < 1) throw new RetouchException("filter radius must be >= 1, got " + r);
        return OpenCv.apply(OpenCv.toMat8(im), (src, dst) -> Imgproc.medianBlur(src, dst, 2 * r + 1));
    }

    private static Image inpaint(Image im, RestoreParams p, int flag) {
        Image mask = p.mask();
        if (mask == null) throw new RetouchException("inpainting needs a mask (white = hole)");
        if (mask.height() != im.height() || mask.width() != im.width()) {
            throw new RetouchException("mask is " + mask.width() + "x" + mask.height() + " but the image is " + im.width() + "x" + im.height());
        }
        int r = p.radius() == 0 ? 3 : p.radius();
        Mat m = OpenCv.toMask8(mask.isGray() ? mask : mask.toGray());
        try {
            return OpenCv.apply(OpenCv.toMat8(im), (src, dst) -> Photo.inpaint(src, m, dst, r, flag));
        } finally {
            m.release();
        }
    }
}
