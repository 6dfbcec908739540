import java.nio.file.Paths;
import java.util.Arrays;
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
 * What a wrong blur estimate costs plug-and-play deblurring: the most textured 256-px crop of each
 * photo, blurred with Gaussian σ SIGMA, noise σ 2, 8 bits, deblurred by PnpDeblurrer (prior: the
 * shipped denoiser with its colour route) told each σ of USED; PSNR (dB) per σ told.
 * Usage: java -cp CLASSPATH PnpCurve.java SIGMA PHOTO[,PHOTO...] USED[,USED...]
 */
public class PnpCurve {
    public static void main(String[] a) throws Exception {
        double sigma = Double.parseDouble(a[0]);
        double[] used = Arrays.stream(a[2].split(",")).mapToDouble(Double::parseDouble).toArray();
        try (Restorer prior = Restorers.forTask("denoise", RestoreSettings.defaults())) {
            PnpDeblurrer pnp = new PnpDeblurrer(prior, "pnp");
            for (String photo : a[1].split(",")) {
                Image full = ImageFiles.read(Paths.get(photo));
                int[] at = BlurEstimator.texturedWindow(full, 256);
                Image clean = full.crop(at[0], at[1], 256, 256);
                Image blurred = new GaussianNoise(2).apply(new GaussianBlur(sigma).apply(clean, new SplittableRandom(1)), new SplittableRandom(2)).quantize8();
                StringBuilder row = new StringBuilder(String.format("%s blurred %.2f", Paths.get(photo).getFileName(), Psnr.of(clean, blurred)));
                for (double u : used) row.append(String.format("  told %.2f: %.2f", u, Psnr.of(clean, pnp.deblur(blurred, new GaussianBlur(u), 2))));
                System.out.println(row);
            }
        }
    }
}
