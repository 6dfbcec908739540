import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import retouch.degrade.GaussianNoise;
import retouch.degrade.NoiseEstimator;
import retouch.image.Image;
import retouch.image.ImageFiles;

/**
 * Blind noise estimation on a grid of patches against all patches: each photo of each FOLDER
 * with Gaussian noise of each σ (clipped, 8 bits, seeded), estimated with the covariance over all
 * overlapping 7×7 patches and over at most 65,536 of them; prints the mean and worst relative
 * error against the true σ for both, the largest difference between the two, and their times.
 * Usage: java -cp CLASSPATH NoiseEstimateProbe.java SIGMAS FOLDER...
 */
public class NoiseEstimateProbe {
    public static void main(String[] a) throws Exception {
        String[] sigmas = a[0].split(",");
        for (int f = 1; f < a.length; f++) {
            List<Path> files = new ArrayList<>();
            try (var s = Files.list(Paths.get(a[f]))) {
                s.filter(p -> p.toString().endsWith(".png")).sorted().forEach(files::add);
            }
            for (String sg : sigmas) {
                double sigma = Double.parseDouble(sg);
                double errAll = 0, errGrid = 0, worstAll = 0, worstGrid = 0, diff = 0, signed = 0;
                long tAll = 0, tGrid = 0;
                int i = 0;
                for (Path p : files) {
                    Image noisy = new GaussianNoise(sigma).apply(ImageFiles.read(p), new SplittableRandom(7 + i++)).quantize8();
                    long t0 = System.nanoTime();
                    double all = NoiseEstimator.estimate(noisy, Integer.MAX_VALUE);
                    long t1 = System.nanoTime();
                    double grid = NoiseEstimator.estimate(noisy);
                    long t2 = System.nanoTime();
                    tAll += t1 - t0;
                    tGrid += t2 - t1;
                    errAll += Math.abs(all - sigma) / sigma;
                    errGrid += Math.abs(grid - sigma) / sigma;
                    worstAll = Math.max(worstAll, Math.abs(all - sigma) / sigma);
                    worstGrid = Math.max(worstGrid, Math.abs(grid - sigma) / sigma);
                    diff = Math.max(diff, Math.abs(grid - all) / all);
                    signed += (grid - all) / all;
                }
                int n = files.size();
                System.out.printf(Locale.ROOT, "%s σ %4.1f  all: mean |err| %5.2f%% worst %5.2f%% %6.3f s/photo   grid: mean %5.2f%% worst %5.2f%% %6.3f s/photo   largest grid−all %5.2f%% mean %+5.2f%%%n",
                        Paths.get(a[f]).getFileName(), sigma, 100 * errAll / n, 100 * worstAll, tAll / 1e9 / n, 100 * errGrid / n, 100 * worstGrid, tGrid / 1e9 / n, 100 * diff, 100 * signed / n);
            }
        }
    }
}
