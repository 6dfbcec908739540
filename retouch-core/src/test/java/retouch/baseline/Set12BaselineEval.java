package retouch.baseline;

import java.nio.file.Files;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.metrics.Png8;
import retouch.metrics.Psnr;
import retouch.metrics.Ssim;

/**
 * Full Set12 figures for the NL-means and TV baselines at σ 15/25/50 (protocol: unclipped noise,
 * seed = image index, output clipped, PSNR peak 1, mean over the 12 images). Slow: run with
 * {@code -Dtest=Set12BaselineEval -DexcludedTestGroups=none}.
 */
@Tag("slow")
class Set12BaselineEval {
    @Test
    void nlmAndTv() {
        Assumptions.assumeTrue(Files.isDirectory(Png8.SET12));
        for (double sigma : new double[] {15, 25, 50}) {
            double noisy = 0, nlm = 0, tv = 0, nlmBlind = 0, ssimNlm = 0, ssimTv = 0;
            for (int i = 1; i <= 12; i++) {
                Image x = Png8.read(Png8.SET12.resolve(String.format("%02d.png", i)));
                Image y = GaussianNoise.addNoise(x, sigma, new SplittableRandom(i));
                noisy += Psnr.of(x, y.clip());
                Image a = ClassicalMethods.byName("nlm").apply(y, ClassicalMethod.Params.ofSigma(sigma));
                Image b = ClassicalMethods.byName("tv").apply(y, ClassicalMethod.Params.ofSigma(sigma));
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
}
