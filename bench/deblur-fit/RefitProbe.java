import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import retouch.degrade.BlurEstimator;
import retouch.degrade.Degradation;
import retouch.degrade.GaussianBlur;
import retouch.degrade.GaussianNoise;
import retouch.degrade.MotionBlur;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;
import retouch.nn.restore.PnpDeblurrer;
import retouch.nn.restore.RestoreSettings;
import retouch.nn.restore.Restorer;
import retouch.nn.restore.Restorers;
import retouch.restore.RestoreParams;

/**
 * Refitting the blur on the plug-and-play output: each photo blurred (BLUR: a Gaussian σ or
 * motion:L:A) + noise σ 2, 8 bits; on the most textured 384-px window the blur is fitted against
 * the clean window (oracle), against MODEL's network output (fit 0), then ROUNDS times against
 * the plug-and-play output for the previous fit. Per round: the fit and the window's PSNR after
 * plug-and-play with it.
 * Refits take the Gaussian within TOLERANCE (relative residual; default 0.02, the first fit's) of the best.
 * Usage: java -cp CLASSPATH RefitProbe.java BLUR N FOLDER MODEL ROUNDS [FIRST [TOLERANCE]]
 */
public class RefitProbe {
    public static void main(String[] a) throws Exception {
        Degradation truth = a[0].startsWith("motion:")
                ? new MotionBlur(Double.parseDouble(a[0].split(":")[1]), Double.parseDouble(a[0].split(":")[2]))
                : new GaussianBlur(Double.parseDouble(a[0]));
        int n = Integer.parseInt(a[1]);
        int first = a.length > 5 ? Integer.parseInt(a[5]) : 0;
        double tolerance = a.length > 6 ? Double.parseDouble(a[6]) : BlurEstimator.DEFAULT_TOLERANCE;
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(Paths.get(a[2]))) {
            s.filter(p -> p.toString().endsWith(".png") || p.toString().endsWith(".jpg")).sorted().forEach(files::add);
        }
        int rounds = Integer.parseInt(a[4]);
        RestoreSettings network = RestoreSettings.defaults().withDeblur("network");
        double[] sum = new double[rounds + 3];
        int count = 0;
        try (Restorer net = Restorers.open(a[3], network); Restorer prior = Restorers.forTask("denoise", RestoreSettings.defaults())) {
            PnpDeblurrer pnp = new PnpDeblurrer(prior, "pnp");
            for (int i = first; i < Math.min(first + n, files.size()); i++) {
                Image clean = ImageFiles.read(files.get(i));
                Image blurred = new GaussianNoise(2).apply(truth.apply(clean, new SplittableRandom(i)), new SplittableRandom(100 + i)).quantize8();
                int[] at = BlurEstimator.texturedWindow(blurred, 384);
                int h = Math.min(384, blurred.height()), w = Math.min(384, blurred.width());
                Image window = blurred.crop(at[0], at[1], h, w), cleanWindow = clean.crop(at[0], at[1], h, w);
                StringBuilder row = new StringBuilder(files.get(i).getFileName() + String.format("  blurred %.2f", Psnr.of(cleanWindow, window)));
                Degradation oracle = BlurEstimator.fit(window, cleanWindow).blur();
                Image ko = pnp.deblur(window, truth, 2);
                row.append(String.format("  true %.2f  oracle %s", Psnr.of(cleanWindow, ko), spec(oracle)));
                sum[0] += Psnr.of(cleanWindow, window);
                sum[1] += Psnr.of(cleanWindow, ko);
                Image sharp = net.restore(window, RestoreParams.ofSigma(2), network).image();
                for (int r = 0; r <= rounds; r++) {
                    Degradation fit = BlurEstimator.fit(window, sharp, r == 0 ? BlurEstimator.DEFAULT_TOLERANCE : tolerance).blur();
                    sharp = pnp.deblur(window, fit, 2);
                    double p = Psnr.of(cleanWindow, sharp);
                    sum[2 + r] += p;
                    row.append(String.format("  | %s %.2f", spec(fit), p));
                }
                count++;
                System.out.println(row);
            }
        }
        StringBuilder mean = new StringBuilder(String.format("mean  blurred %.2f  true %.2f", sum[0] / count, sum[1] / count));
        for (int r = 0; r <= rounds; r++) mean.append(String.format("  | round %d %.2f", r, sum[2 + r] / count));
        System.out.println(mean);
    }

    private static String spec(Degradation d) {
        return d.spec().replace("blur:gauss:", "").replace("blur:motion:", "m");
    }
}
