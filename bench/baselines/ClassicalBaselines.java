import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.opencv.core.Mat;
import org.opencv.photo.Photo;
import retouch.baseline.ClassicalMethods;
import retouch.baseline.OpenCv;
import retouch.baseline.TvDenoiser;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;
import retouch.metrics.Ssim;

/**
 * Figures for the classical denoisers of retouch.baseline, printed (a measurement: it checks
 * nothing). Run it with bench/classical-baselines.sh, which puts the CLI jar (retouch-core, OpenCV)
 * on the class path:
 *
 * <pre>
 *   set12 DIR           NL-means and TV on the 12 Set12 photos at σ 15/25/50 (protocol: unclipped noise,
 *                       seed = image index, output clipped, PSNR peak 1, mean over the 12): PSNR, SSIM,
 *                       and NL-means with its own σ estimate
 *   nlm-grid DIR COUNT  the grid search that chose ClassicalMethods.nlmSettings: h = 0.6σ…1.3σ, patch
 *                       3/5/7/9, search 21, σ 10–75, mean PSNR over COUNT BSD400 training images (never Set12)
 *   tv-grid DIR COUNT   the same for the TV weight (ClassicalMethods.tvWeight), with OpenCV's TV-L1 beside it
 * </pre>
 *
 * Photos are read with ImageFiles.read (8-bit gray: value / 255).
 */
public class ClassicalBaselines {
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ClassicalBaselines set12 DIR | nlm-grid DIR COUNT | tv-grid DIR COUNT");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        switch (args[0]) {
            case "set12" -> set12(dir);
            case "nlm-grid" -> nlmGrid(spreadOver(dir, count));
            case "tv-grid" -> tvGrid(spreadOver(dir, count));
            default -> {
                System.err.println("unknown measurement " + args[0] + ": set12, nlm-grid or tv-grid");
                System.exit(2);
            }
        }
    }

    /** {@code count} PNGs of {@code dir}, spread evenly over its sorted listing. */
    static List<Image> spreadOver(Path dir, int count) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
            int step = Math.max(1, all.size() / count);
            return IntStream.range(0, count).mapToObj(i -> ImageFiles.read(all.get(i * step))).toList();
        }
    }

    static Image[] noisy(List<Image> clean, double sigma) {
        Image[] noisy = new Image[clean.size()];
        for (int i = 0; i < noisy.length; i++) noisy[i] = GaussianNoise.addNoise(clean.get(i), sigma, new SplittableRandom(i));
        return noisy;
    }

    static void set12(Path dir) {
        for (double sigma : new double[] {15, 25, 50}) {
            double noisy = 0, nlm = 0, tv = 0, nlmBlind = 0, ssimNlm = 0, ssimTv = 0;
            for (int i = 1; i <= 12; i++) {
                Image x = ImageFiles.read(dir.resolve(String.format("%02d.png", i)));
                Image y = GaussianNoise.addNoise(x, sigma, new SplittableRandom(i));
                noisy += Psnr.of(x, y.clip());
                Image a = ClassicalMethods.byName("nlm").apply(y, retouch.restore.RestoreParams.ofSigma(sigma));
                Image b = ClassicalMethods.byName("tv").apply(y, retouch.restore.RestoreParams.ofSigma(sigma));
                nlm += Psnr.of(x, a);
                tv += Psnr.of(x, b);
                ssimNlm += Ssim.of(x, a);
                ssimTv += Ssim.of(x, b);
                nlmBlind += Psnr.of(x, ClassicalMethods.byName("nlm").apply(y));
            }
            System.out.printf(Locale.ROOT, "Set12 σ%.0f: noisy %.2f | NLM %.2f dB (SSIM %.4f, blind σ %.2f) | TV %.2f dB (SSIM %.4f)%n",
                    sigma, noisy / 12, nlm / 12, ssimNlm / 12, nlmBlind / 12, tv / 12, ssimTv / 12);
        }
    }

    static void nlmGrid(List<Image> imgs) {
        double[] factors = {0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3};
        for (double sigma : new double[] {10, 15, 25, 35, 50, 75}) {
            Image[] noisy = noisy(imgs, sigma);
            for (int t : new int[] {3, 5, 7, 9}) {
                StringBuilder sb = new StringBuilder(String.format("sigma %3.0f template %d:", sigma, t));
                for (double f : factors) {
                    double sum = 0;
                    for (int i = 0; i < noisy.length; i++) {
                        Mat src = OpenCv.toMat8(noisy[i]);
                        Mat dst = new Mat();
                        Photo.fastNlMeansDenoising(src, dst, (float) (f * sigma), t, 21);
                        sum += Psnr.of(imgs.get(i), OpenCv.fromMat(dst));
                        src.release();
                        dst.release();
                    }
                    sb.append(String.format(" %.1f:%.3f", f, sum / noisy.length));
                }
                System.out.println(sb);
            }
        }
    }

    static void tvGrid(List<Image> imgs) {
        double[] factors = {0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.2};
        for (double sigma : new double[] {10, 15, 25, 35, 50, 75}) {
            Image[] noisy = noisy(imgs, sigma);
            StringBuilder sb = new StringBuilder(String.format("TV sigma %3.0f:", sigma));
            for (double f : factors) {
                double sum = 0;
                for (int i = 0; i < noisy.length; i++) sum += Psnr.of(imgs.get(i), TvDenoiser.denoise(noisy[i], f * sigma / 255).clip());
                sb.append(String.format(" %.1f:%.3f", f, sum / noisy.length));
            }
            System.out.println(sb);
            // OpenCV TV-L1 (Duval et al.), for comparison, on 8-bit input
            int n = Math.min(10, noisy.length);
            StringBuilder l1 = new StringBuilder(String.format("TVL1 sigma %3.0f:", sigma));
            for (double lambda : new double[] {0.3, 0.6, 1.0, 1.5}) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    Mat src = OpenCv.toMat8(noisy[i]);
                    Mat dst = new Mat();
                    Photo.denoise_TVL1(List.of(src), dst, lambda * 25 / sigma, 30);
                    sum += Psnr.of(imgs.get(i), OpenCv.fromMat(dst));
                }
                l1.append(String.format(" %.1f:%.3f", lambda, sum / n));
            }
            System.out.println(l1);
        }
    }
}
