package retouch.nn.restore;

import java.util.Locale;
import java.util.SplittableRandom;
import retouch.RetouchException;
import retouch.degrade.GaussianBlur;
import retouch.degrade.GaussianNoise;
import retouch.degrade.JpegCompression;
import retouch.degrade.MotionBlur;
import retouch.image.Image;
import retouch.image.Resize;

/**
 * How a restoration task damages a clean training patch, and what the network is told (the
 * condition level fed to FFDNet-style networks). Every task keeps the image size: super-resolution
 * networks see the bicubic-upscaled low-resolution image (VDSR-style), so one network shape serves
 * all tasks and inference runs the same pipeline ({@link #prepareInput}).
 *
 * <ul>
 *   <li>{@code deblur}: Gaussian blur (σ 0.5–3) or linear motion blur (length 5–21 px, any
 *       angle), half each, then Gaussian noise σ 0–{@code noiseMax}; level = noise σ/255.</li>
 *   <li>{@code sr2}, {@code sr3}, {@code sr4}: MATLAB-style bicubic downscaling by the factor, then
 *       bicubic upscaling back; level 0.</li>
 *   <li>{@code jpeg}: a JPEG round trip at a quality drawn from {@value #JPEG_QUALITY_MIN}–{@value
 *       #JPEG_QUALITY_MAX} (the JDK's baseline encoder, IJG scale); level {@link
 *       retouch.nn.task.JpegTask#level} of that quality: one model for any quality.</li>
 * </ul>
 */
public final class TaskDegradation {
    /** A damaged patch and the level the network is given. */
    public record Sample(Image input, float level) {}

    /** JPEG qualities a {@code jpeg} model is trained on (uniform, inclusive). */
    public static final int JPEG_QUALITY_MIN = retouch.nn.task.JpegTask.QUALITY_MIN, JPEG_QUALITY_MAX = retouch.nn.task.JpegTask.QUALITY_MAX;

    private final String task;
    private final double noiseMax;

    public TaskDegradation(String task, double noiseMax) {
        this.task = task.toLowerCase(Locale.ROOT);
        this.noiseMax = noiseMax;
        if (!this.task.equals("deblur") && !this.task.equals("jpeg") && scaleOf(this.task) == 0) {
            throw new RetouchException("unknown restoration task '" + task + "': use deblur, jpeg, sr2, sr3 or sr4 (denoise has its own trainer)");
        }
    }

    public String task() {
        return task;
    }

    /** The super-resolution factor of {@code task} (sr2 → 2), or 0 for other tasks. */
    public static int scaleOf(String task) {
        int s = retouch.nn.task.RestorationTasks.scaleOf(task);
        return s > 1 ? s : 0;
    }

    /**
     * Patch sides must be multiples of this (the SR factor; 2 for the pixel-unshuffle networks; 8
     * for JPEG, so that patches hold whole 8×8 coding blocks as photos do).
     */
    public int patchMultiple() {
        if (task.equals("jpeg")) return 8;
        int s = scaleOf(task);
        return s == 0 ? 2 : s * 2 / gcd(s, 2);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Damages {@code clean} with randomness from {@code rng}. */
    public Sample apply(Image clean, SplittableRandom rng) {
        if (task.equals("deblur")) {
            Image blurred = rng.nextBoolean()
                    ? new GaussianBlur(0.5 + 2.5 * rng.nextDouble()).apply(clean, rng)
                    : new MotionBlur(5 + 16 * rng.nextDouble(), 180 * rng.nextDouble()).apply(clean, rng);
            double sigma = noiseMax * rng.nextDouble();
            return new Sample(GaussianNoise.addNoise(blurred, sigma, rng), (float) (sigma / 255));
        }
        if (task.equals("jpeg")) {
            int quality = JPEG_QUALITY_MIN + rng.nextInt(JPEG_QUALITY_MAX - JPEG_QUALITY_MIN + 1);
            return new Sample(JpegCompression.roundTrip(clean, quality), retouch.nn.task.JpegTask.level(quality));
        }
        int s = scaleOf(task);
        Image small = Resize.scale(clean, 1.0 / s, Resize.Method.BICUBIC);
        return new Sample(prepareInput(task, small, clean.height(), clean.width()), 0f);
    }

    /**
     * The network input for a user's image: for SR the bicubic upscale to {@code height × width}
     * (by default the factor times the input), otherwise the image itself.
     */
    public static Image prepareInput(String task, Image degraded, int height, int width) {
        int s = scaleOf(task);
        if (s == 0) return degraded;
        return Resize.resize(degraded, height, width, s, s, Resize.Method.BICUBIC);
    }
}
