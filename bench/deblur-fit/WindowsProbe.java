import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import retouch.degrade.BlurEstimator;
import retouch.degrade.GaussianBlur;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.nn.restore.RestoreSettings;
import retouch.nn.restore.Restorer;
import retouch.nn.restore.Restorers;
import retouch.restore.RestoreParams;

/**
 * The blur fitted on several windows of one photo: each photo blurred (Gaussian σ SIGMA) + noise
 * σ 2, 8 bits; MODEL's network restores the most textured 384-px window (what blind deblurring
 * fits on today) and every SIDE-px window of a grid over the photo; the Gaussian σ fitted on
 * each, and their median.
 * Usage: java -cp CLASSPATH WindowsProbe.java SIGMA N FOLDER MODEL SIDE [FIRST]
 */
public class WindowsProbe {
    public static void main(String[] a) throws Exception {
        double sigma = Double.parseDouble(a[0]);
        int n = Integer.parseInt(a[1]), side = Integer.parseInt(a[4]);
        int first = a.length > 5 ? Integer.parseInt(a[5]) : 0;
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(Paths.get(a[2]))) {
            s.filter(p -> p.toString().endsWith(".png") || p.toString().endsWith(".jpg")).sorted().forEach(files::add);
        }
        RestoreSettings network = RestoreSettings.defaults().withDeblur("network");
        double errOne = 0, errMed = 0, errBest = 0;
        int count = 0;
        try (Restorer net = Restorers.open(a[3], network)) {
            for (int i = first; i < Math.min(first + n, files.size()); i++) {
                Image clean = ImageFiles.read(files.get(i));
                Image blurred = new GaussianNoise(2).apply(new GaussianBlur(sigma).apply(clean, new SplittableRandom(i)), new SplittableRandom(100 + i)).quantize8();
                int[] at = BlurEstimator.texturedWindow(blurred, 384);
                int h = Math.min(384, blurred.height()), w = Math.min(384, blurred.width());
                double one = fit(net, network, blurred.crop(at[0], at[1], h, w));
                int ny = Math.max(1, blurred.height() / side), nx = Math.max(1, blurred.width() / side);
                double[] fits = new double[ny * nx];
                double[] energy = new double[ny * nx];
                for (int gy = 0; gy < ny; gy++) {
                    for (int gx = 0; gx < nx; gx++) {
                        int y0 = (blurred.height() - side) * gy / Math.max(1, ny - 1), x0 = (blurred.width() - side) * gx / Math.max(1, nx - 1);
                        Image win = blurred.crop(y0, x0, Math.min(side, blurred.height()), Math.min(side, blurred.width()));
                        fits[gy * nx + gx] = fit(net, network, win);
                        energy[gy * nx + gx] = gradientEnergy(win);
                    }
                }
                // the most textured half of the windows
                Integer[] order = new Integer[fits.length];
                for (int k = 0; k < order.length; k++) order[k] = k;
                Arrays.sort(order, (p, q) -> Double.compare(energy[q], energy[p]));
                double[] top = new double[(fits.length + 1) / 2];
                for (int k = 0; k < top.length; k++) top[k] = fits[order[k]];
                double med = median(fits), medTop = median(top);
                errOne += Math.abs(one - sigma);
                errMed += Math.abs(med - sigma);
                errBest += Math.abs(medTop - sigma);
                count++;
                System.out.printf(Locale.ROOT, "%s  384-px window %.2f  windows %s  median %.2f  median of the most textured half %.2f%n",
                        files.get(i).getFileName(), one, Arrays.toString(fits), med, medTop);
            }
        }
        System.out.printf(Locale.ROOT, "mean |error|: one window %.3f  median %.3f  median of textured half %.3f%n", errOne / count, errMed / count, errBest / count);
    }

    static double fit(Restorer net, RestoreSettings s, Image window) {
        Image sharp = net.restore(window, RestoreParams.ofSigma(2), s).image();
        return BlurEstimator.fit(window, sharp).blur() instanceof GaussianBlur g ? g.sigma() : Double.NaN; // NaN: motion fitted
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
    }

    static double gradientEnergy(Image im) {
        Image g = im.isGray() ? im : im.toGray();
        float[] d = g.data();
        int h = g.height(), w = g.width();
        double e = 0;
        for (int y = 0; y < h - 1; y++) for (int x = 0; x < w - 1; x++) {
            float dx = d[y * w + x + 1] - d[y * w + x], dy = d[(y + 1) * w + x] - d[y * w + x];
            e += dx * dx + dy * dy;
        }
        return e;
    }
}
