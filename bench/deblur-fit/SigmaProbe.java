import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import retouch.degrade.BlurEstimator;
import retouch.degrade.GaussianBlur;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.nn.restore.BlurSigmaEstimator;
import retouch.nn.restore.RestoreSettings;
import retouch.nn.restore.Restorer;
import retouch.nn.restore.Restorers;
import retouch.restore.RestoreParams;

/**
 * The Gaussian blur σ blind deblurring would use, two ways, per photo and σ: the kernel fit against
 * the deblurring network's output on the most textured 384-px window (2 % tolerance, as
 * BlindDeblurRestorer does), and the σ estimator (BlurSigmaNet) on the photo itself. Each photo is
 * blurred, gets noise σ 2 and is rounded to 8 bits. Prints each estimate and the mean |error|.
 * Usage: java -cp CLASSPATH SigmaProbe.java SIGMAS N FOLDER DEBLUR_MODEL SIGMA_MODEL [EVERY OFFSET]
 * (EVERY/OFFSET pick photos i with i % EVERY == OFFSET, e.g. 50 49 for the held-out CBSD432 photos)
 */
public class SigmaProbe {
    public static void main(String[] a) throws Exception {
        String[] sigmas = a[0].split(",");
        int n = Integer.parseInt(a[1]);
        int every = a.length > 5 ? Integer.parseInt(a[5]) : 1, offset = a.length > 6 ? Integer.parseInt(a[6]) : 0;
        List<Path> all = new ArrayList<>();
        try (var s = Files.list(Paths.get(a[2]))) {
            s.filter(p -> p.toString().matches(".*\\.(png|jpg)$")).sorted().forEach(all::add);
        }
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < all.size() && files.size() < n; i++) if (i % every == offset) files.add(all.get(i));
        RestoreSettings network = RestoreSettings.defaults().withDeblur("network");
        try (Restorer deblur = Restorers.open(a[3], network); BlurSigmaEstimator net = BlurSigmaEstimator.open(a[4])) {
            for (String sg : sigmas) {
                double sigma = Double.parseDouble(sg);
                double errFit = 0, errNet = 0;
                long netNanos = 0;
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "σ %.2f:", sigma));
                for (int i = 0; i < files.size(); i++) {
                    Image clean = ImageFiles.read(files.get(i));
                    Image blurred = new GaussianNoise(2).apply(new GaussianBlur(sigma).apply(clean, new SplittableRandom(i)), new SplittableRandom(100 + i)).quantize8();
                    int[] at = BlurEstimator.texturedWindow(blurred, 384);
                    int h = Math.min(384, blurred.height()), w = Math.min(384, blurred.width());
                    Image window = blurred.crop(at[0], at[1], h, w);
                    BlurEstimator.Estimate fit = BlurEstimator.fit(window, deblur.restore(window, RestoreParams.ofSigma(2), network).image());
                    double fitted = fit.blur() instanceof GaussianBlur g ? g.sigma() : Double.NaN;
                    long t0 = System.nanoTime();
                    double estimated = net.estimate(blurred);
                    netNanos += System.nanoTime() - t0;
                    errFit += Math.abs(fitted - sigma);
                    errNet += Math.abs(estimated - sigma);
                    row.append(String.format(Locale.ROOT, " %s %s/%.2f", files.get(i).getFileName(),
                            Double.isNaN(fitted) ? fit.blur().spec() : String.format(Locale.ROOT, "%.2f", fitted), estimated));
                }
                System.out.println(row);
                System.out.printf(Locale.ROOT, "σ %.2f: mean |error| kernel fit %.3f, σ estimator %.3f (%d photos; the estimator %.0f ms per photo)%n",
                        sigma, errFit / files.size(), errNet / files.size(), files.size(), netNanos / 1e6 / files.size());
            }
        }
    }
}
