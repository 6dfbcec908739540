import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * The Gaussian blur that blind deblurring fits, per photo: each photo is blurred (σ given) with
 * noise σ 2 and rounded to 8 bits; on the most textured 384-px window (as BlindDeblurRestorer
 * does) the blur is fitted once against the clean photo (the oracle: what a perfect sharp estimate
 * gives) and once against each model's network output. Each cell: the fit with the default 2 %
 * tolerance / the plain best fit.
 * Usage: java -cp CLASSPATH FitProbe.java SIGMA N FOLDER MODEL...
 */
public class FitProbe {
    public static void main(String[] a) throws Exception {
        double sigma = Double.parseDouble(a[0]);
        int n = Integer.parseInt(a[1]);
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(Paths.get(a[2]))) {
            s.filter(p -> p.toString().endsWith(".png")).sorted().forEach(files::add);
        }
        List<String> models = Arrays.asList(a).subList(3, a.length);
        RestoreSettings network = RestoreSettings.defaults().withDeblur("network");
        List<Restorer> restorers = new ArrayList<>();
        for (String m : models) restorers.add(Restorers.open(m, network));
        System.out.println("photo  oracle  " + String.join("  ", models) + "   (true sigma " + sigma + "; fit with 2 % tolerance / best fit)");
        for (int i = 0; i < Math.min(n, files.size()); i++) {
            Image clean = ImageFiles.read(files.get(i));
            Image blurred = new GaussianNoise(2).apply(new GaussianBlur(sigma).apply(clean, new SplittableRandom(i)), new SplittableRandom(100 + i)).quantize8();
            int[] at = BlurEstimator.texturedWindow(blurred, 384);
            int h = Math.min(384, blurred.height()), w = Math.min(384, blurred.width());
            Image window = blurred.crop(at[0], at[1], h, w);
            StringBuilder row = new StringBuilder(files.get(i).getFileName() + "  " + both(window, clean.crop(at[0], at[1], h, w)));
            for (Restorer r : restorers) row.append("  ").append(both(window, r.restore(window, RestoreParams.ofSigma(2), network).image()));
            System.out.println(row);
        }
        for (Restorer r : restorers) r.close();
    }

    private static String both(Image blurred, Image sharp) {
        return spec(BlurEstimator.fit(blurred, sharp)) + "/" + spec(BlurEstimator.fit(blurred, sharp, 0));
    }

    private static String spec(BlurEstimator.Estimate e) {
        return e.blur().spec().replace("blur:gauss:", "").replace("blur:motion:", "motion ");
    }
}
