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
import retouch.metrics.Psnr;
import retouch.nn.restore.PnpDeblurrer;
import retouch.nn.restore.RestoreSettings;
import retouch.nn.restore.Restorer;
import retouch.nn.restore.Restorers;

/**
 * Can a no-reference score of the plug-and-play output pick the blur? Each photo (as gray), its most
 * textured 256-px crop, Gaussian σ SIGMA + noise 2, 8 bits; deblurred by plug-and-play told each σ
 * of USED; per σ told: PSNR and the normalised sparsity ‖∇x‖₁/‖∇x‖₂ of the output (Krishnan et al.
 * 2011: lower is sharper). Prints which σ each picks.
 * Usage: java -cp CLASSPATH SharpnessProbe.java SIGMA N FOLDER USED[,USED...] [FIRST]
 */
public class SharpnessProbe {
    public static void main(String[] a) throws Exception {
        double sigma = Double.parseDouble(a[0]);
        int n = Integer.parseInt(a[1]);
        double[] used = Arrays.stream(a[3].split(",")).mapToDouble(Double::parseDouble).toArray();
        int first = a.length > 4 ? Integer.parseInt(a[4]) : 0;
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(Paths.get(a[2]))) {
            s.filter(p -> p.toString().endsWith(".png") || p.toString().endsWith(".jpg")).sorted().forEach(files::add);
        }
        try (Restorer prior = Restorers.forTask("denoise", RestoreSettings.defaults())) {
            PnpDeblurrer pnp = new PnpDeblurrer(prior, "pnp");
            for (int i = first; i < Math.min(first + n, files.size()); i++) {
                Image full = ImageFiles.read(files.get(i)).toGray();
                int[] at = BlurEstimator.texturedWindow(full, 256);
                Image clean = full.crop(at[0], at[1], Math.min(256, full.height()), Math.min(256, full.width()));
                Image blurred = new GaussianNoise(2).apply(new GaussianBlur(sigma).apply(clean, new SplittableRandom(i)), new SplittableRandom(100 + i)).quantize8();
                StringBuilder row = new StringBuilder(files.get(i).getFileName().toString());
                double bestP = -1, bestS = 1e9, pickP = 0, pickS = 0;
                for (double u : used) {
                    Image x = pnp.deblur(blurred, new GaussianBlur(u), 2);
                    double p = Psnr.of(clean, x), s = sparsity(x);
                    if (p > bestP) { bestP = p; pickP = u; }
                    if (s < bestS) { bestS = s; pickS = u; }
                    row.append(String.format(Locale.ROOT, "  %.2f: %.2f dB %.4f", u, p, s));
                }
                row.append(String.format(Locale.ROOT, "   best PSNR at %.2f, least sparsity at %.2f", pickP, pickS));
                System.out.println(row);
            }
        }
    }

    /** ‖∇x‖₁/‖∇x‖₂ over forward differences, 8 px borders left out. */
    static double sparsity(Image x) {
        float[] d = x.data();
        int h = x.height(), w = x.width();
        double l1 = 0, l2 = 0;
        for (int y = 8; y < h - 8; y++) {
            for (int q = 8; q < w - 8; q++) {
                double gx = d[y * w + q + 1] - d[y * w + q], gy = d[(y + 1) * w + q] - d[y * w + q];
                l1 += Math.abs(gx) + Math.abs(gy);
                l2 += gx * gx + gy * gy;
            }
        }
        return l1 / Math.sqrt(l2) / Math.sqrt((h - 16.0) * (w - 16.0));
    }
}
