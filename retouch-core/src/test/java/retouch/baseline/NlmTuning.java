package retouch.baseline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.photo.Photo;

import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.metrics.Png8;
import retouch.metrics.Psnr;

/**
 * Grid search that chose the NL-means and TV rules in {@link ClassicalMethods}, on BSD400
 * training images (never on Set12). Slow: run with
 * {@code mvn -pl retouch-core test -Dtest=NlmTuning -DexcludedTestGroups=none}.
 */
@Tag("slow")
class NlmTuning {
    static List<Image> train(int count) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Png8.TRAIN400));
        try (Stream<Path> s = Files.list(Png8.TRAIN400)) {
            List<Path> all = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
            int step = Math.max(1, all.size() / count);
            return java.util.stream.IntStream.range(0, count).mapToObj(i -> Png8.read(all.get(i * step))).toList();
        }
    }

    @Test
    void nlm() throws Exception {
        List<Image> imgs = train(Integer.getInteger("tune.count", 30));
        double[] sigmas = {10, 15, 25, 35, 50, 75};
        int[] templates = {3, 5, 7, 9};
        double[] factors = {0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3};
        for (double sigma : sigmas) {
            Image[] noisy = new Image[imgs.size()];
            for (int i = 0; i < noisy.length; i++) noisy[i] = GaussianNoise.addNoise(imgs.get(i), sigma, new SplittableRandom(i));
            for (int t : templates) {
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

    @Test
    void tv() throws Exception {
        List<Image> imgs = train(Integer.getInteger("tune.count", 30));
        double[] sigmas = {10, 15, 25, 35, 50, 75};
        double[] factors = {0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.2};
        for (double sigma : sigmas) {
            Image[] noisy = new Image[imgs.size()];
            for (int i = 0; i < noisy.length; i++) noisy[i] = GaussianNoise.addNoise(imgs.get(i), sigma, new SplittableRandom(i));
            StringBuilder sb = new StringBuilder(String.format("TV sigma %3.0f:", sigma));
            for (double f : factors) {
                double sum = 0;
                for (int i = 0; i < noisy.length; i++) {
                    sum += Psnr.of(imgs.get(i), TvDenoiser.denoise(noisy[i], f * sigma / 255).clip());
                }
                sb.append(String.format(" %.1f:%.3f", f, sum / noisy.length));
            }
            System.out.println(sb);
            // OpenCV TV-L1 (Duval et al.), for comparison, on 8-bit input
            StringBuilder sb2 = new StringBuilder(String.format("TVL1 sigma %3.0f:", sigma));
            for (double lambda : new double[] {0.3, 0.6, 1.0, 1.5}) {
                double sum = 0;
                for (int i = 0; i < Math.min(10, noisy.length); i++) {
                    Mat src = OpenCv.toMat8(noisy[i]);
                    Mat dst = new Mat();
                    Photo.denoise_TVL1(List.of(src), dst, lambda * 25 / sigma, 30);
                    sum += Psnr.of(imgs.get(i), OpenCv.fromMat(dst));
                }
                sb2.append(String.format(" %.1f:%.3f", lambda, sum / Math.min(10, noisy.length)));
            }
            System.out.println(sb2);
        }
    }
}
