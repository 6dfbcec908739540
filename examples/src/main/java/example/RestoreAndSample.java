package example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import retouch.api.Generator;
import retouch.api.Retouch;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;

/**
 * Uses Retouch as a library: denoises a picture with the shipped denoiser and draws digits with a
 * shipped generator, both loaded by name from the retouch-models jar.
 *
 * <p>Usage: {@code mvn -q exec:java [-Dexec.args="OUT_DIR"]} (default: target/example-out).
 */
public final class RestoreAndSample {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/example-out");
        Files.createDirectories(out);

        // A clean test picture (smooth shading, a disc, stripes) and a noisy copy (σ 25, 8-bit).
        Image clean = picture(128);
        Image noisy = withNoise(clean, 25, 7);

        try (Retouch denoiser = Retouch.forTask("denoise", Retouch.Options.defaults().withQuality("fast"))) {
            Image restored = denoiser.restore(noisy);
            ImageFiles.writePng(noisy, out.resolve("noisy.png"), 8);
            ImageFiles.writePng(restored, out.resolve("restored.png"), 8);
            System.out.printf("denoise: model %s, noisy %.2f dB -> restored %.2f dB (%s)%n",
                    denoiser.name(), Psnr.of(clean, noisy), Psnr.of(clean, restored), out.resolve("restored.png"));
        }
        try (Generator digits = Generator.load("gan-mnist")) {
            javax.imageio.ImageIO.write(digits.grid(16, -1, 3), "png", out.resolve("digits.png").toFile());
            System.out.printf("generate: model %s, 16 samples in %s%n", digits.name(), out.resolve("digits.png"));
        }
    }

    private static Image picture(int n) {
        Image im = new Image(1, n, n);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double v = 0.2 + 0.5 * x / n + ((x - 80) * (x - 80) + (y - 48) * (y - 48) < 600 ? 0.25 : 0)
                        + (y > 90 && (x / 8) % 2 == 0 ? -0.15 : 0);
                im.set(0, y, x, (float) Math.max(0, Math.min(1, v)));
            }
        }
        return im;
    }

    private static Image withNoise(Image clean, double sigma, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Image noisy = clean.copy();
        float[] d = noisy.data();
        for (int i = 0; i < d.length; i++) d[i] += (float) (sigma / 255 * gaussian(r));
        return noisy.quantize8();
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
