package retouch.baseline;

import retouch.restore.RestoreParams;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import retouch.RetouchException;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.metrics.Png8;
import retouch.metrics.Psnr;

class Bm3dTest {
    static final Image CAMERA = Png8.resource("set12-01.png");

    @Test
    void transformsAreOrthonormal() {
        for (int k : new int[] {8, 11, 12}) {
            float[] c = Bm3d.dctMatrix(k);
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    double dot = 0;
                    for (int x = 0; x < k; x++) dot += c[a * k + x] * c[b * k + x];
                    assertEquals(a == b ? 1 : 0, dot, 1e-5, "DCT rows " + a + "," + b + " for k=" + k);
                }
            }
        }
        // the normalised Walsh–Hadamard transform is its own inverse and keeps energy
        float[][] g = new float[8][3];
        SplittableRandom rng = new SplittableRandom(3);
        for (float[] row : g) for (int i = 0; i < row.length; i++) row[i] = (float) rng.nextGaussian();
        float[][] copy = new float[8][];
        for (int i = 0; i < 8; i++) copy[i] = g[i].clone();
        Bm3d.hadamard(g, 8);
        assertEquals(energy(copy), energy(g), 1e-4);
        assertEquals((copy[0][0] + copy[1][0] + copy[2][0] + copy[3][0] + copy[4][0] + copy[5][0] + copy[6][0] + copy[7][0]) / Math.sqrt(8), g[0][0], 1e-5);
        Bm3d.hadamard(g, 8);
        for (int i = 0; i < 8; i++) assertArrayEquals(copy[i], g[i], 1e-5f);
    }

    @Test
    void kaiserWindowKnownValues() {
        float[] w = Bm3d.kaiser(8, 2.0);
        // corners: (1/I0(2))², I0(2) = 2.2795853
        assertEquals(Math.pow(1 / 2.2795853, 2), w[0], 1e-5);
        assertEquals(w[0], w[63], 1e-7);
        assertEquals(w[7], w[56], 1e-7);
        assertTrue(w[3 * 8 + 3] > 0.9 && w[3 * 8 + 3] <= 1, "centre " + w[27]);
    }

    @Test
    void referencePositionsCoverTheLastRow() {
        assertArrayEquals(new int[] {0, 3, 6, 9, 10}, Bm3d.positions(10, 3));
        assertArrayEquals(new int[] {0, 3, 6, 9}, Bm3d.positions(9, 3));
        assertArrayEquals(new int[] {0}, Bm3d.positions(0, 3));
    }

    @Test
    void constantImageStaysConstant() {
        Image flat = Image.filled(1, 40, 37, 0.4f);
        Image out = Bm3d.denoise(flat, 20);
        for (float v : out.data()) assertEquals(0.4f, v, 1e-4f);
    }

    @Test
    void denoisesCameramanNearThePublishedFigure() {
        Image noisy = GaussianNoise.addNoise(CAMERA, 25, new SplittableRandom(0));
        double before = Psnr.of(CAMERA, noisy.clip());
        double bm3d = Psnr.of(CAMERA, Bm3d.denoise(noisy, 25));
        double nlm = Psnr.of(CAMERA, ClassicalMethods.byName("nlm").apply(noisy, RestoreParams.ofSigma(25)));
        System.out.printf("BM3D σ25 on Set12/01: noisy %.2f, NL-means %.2f, BM3D %.2f dB (published 29.45)%n", before, nlm, bm3d);
        assertTrue(bm3d >= 28.9, "BM3D " + bm3d);
        assertTrue(bm3d >= nlm + 0.8, "BM3D " + bm3d + " vs NL-means " + nlm);
    }

    @Test
    void betterPilotGivesBetterWienerStage() {
        Image noisy = GaussianNoise.addNoise(CAMERA, 25, new SplittableRandom(1)).crop(0, 0, 128, 160);
        Image clean = CAMERA.crop(0, 0, 128, 160);
        double full = Psnr.of(clean, Bm3d.denoise(noisy, 25));
        double oracle = Psnr.of(clean, Bm3d.refine(noisy, clean, 25));
        // the Wiener stage with a poor pilot (the noisy image itself) still removes noise, but less
        double poor = Psnr.of(clean, Bm3d.refine(noisy, noisy.clip(), 25));
        double before = Psnr.of(clean, noisy.clip());
        System.out.printf("Wiener stage pilots, 128×160 σ25: noisy %.2f, noisy pilot %.2f, BM3D %.2f, clean pilot %.2f dB%n", before, poor, full, oracle);
        assertTrue(oracle > full + 1.0, oracle + " vs " + full);
        assertTrue(full > poor + 1.0, full + " vs " + poor);
        assertTrue(poor > before + 1.0, poor + " vs " + before);
    }

    @Test
    void colourImagesAreFilteredInOpponentSpace() {
        // channels of photos are strongly correlated: here R and B are G scaled and offset
        Image g = CAMERA.crop(64, 64, 96, 112);
        Image r = g.copy(), b = g.copy();
        float[] rd = r.data(), bd = b.data();
        for (int i = 0; i < rd.length; i++) {
            rd[i] = 0.2f + 0.7f * rd[i];
            bd[i] = 0.05f + 0.9f * bd[i];
        }
        Image rgb = Image.stack(r, g, b);
        Image noisy = GaussianNoise.addNoise(rgb, 30, new SplittableRandom(2));
        Image out = Bm3d.denoise(noisy, 30);
        assertEquals(3, out.channels());
        assertTrue(out.sameShape(rgb));
        Image apart = Image.stack(Bm3d.denoise(noisy.channel(0), 30), Bm3d.denoise(noisy.channel(1), 30), Bm3d.denoise(noisy.channel(2), 30));
        double before = Psnr.of(rgb, noisy.clip()), after = Psnr.of(rgb, out), perChannel = Psnr.of(rgb, apart);
        System.out.printf("CBM3D σ30 on a 112×96 colour crop: %.2f → %.2f dB (R, G, B apart: %.2f)%n", before, after, perChannel);
        assertTrue(after > before + 7, before + " -> " + after);
        assertTrue(after > perChannel + 0.5, after + " vs " + perChannel);
        for (float v : out.data()) assertTrue(v >= 0 && v <= 1);
    }

    @Test
    void parallelStripesGiveTheSameResultEveryTime() {
        // tall enough for several stripes per parity, so neighbouring stripes run at once
        Image clean = CAMERA.crop(0, 0, 256, 96);
        Image noisy = GaussianNoise.addNoise(clean, 25, new SplittableRandom(6));
        Image pilot = Bm3d.denoise(noisy, 25);
        float[] first = Bm3d.refine(noisy, pilot, 25).data();
        for (int i = 0; i < 3; i++) assertArrayEquals(first, Bm3d.refine(noisy, pilot, 25).data(), "run " + i);
        // stripes two apart must not write the same rows: a group's blocks reach the search radius away
        for (double sigma : new double[] {25, 50}) {
            Bm3d.Stage s = Bm3d.wienerStage(sigma);
            int h = Bm3d.stripeHeight(s);
            assertTrue(h + s.searchHalf() + s.block() - 1 < 2 * h - s.searchHalf(), "stripe height " + h);
        }
    }

    @Test
    void largeNoiseProfileAndOddSizes() {
        Image clean = CAMERA.crop(30, 20, 71, 93);
        Image noisy = GaussianNoise.addNoise(clean, 50, new SplittableRandom(4));
        Image out = Bm3d.denoise(noisy, 50);
        double before = Psnr.of(clean, noisy.clip()), after = Psnr.of(clean, out);
        assertTrue(after > before + 6, before + " -> " + after);
        for (float v : out.data()) assertTrue(Float.isFinite(v));
    }

    @Test
    void edgeCasesAndBadInput() {
        Image tiny = Image.filled(1, 5, 30, 0.5f);
        assertArrayEquals(tiny.data(), Bm3d.denoise(tiny, 25).data());
        Image noisy = GaussianNoise.addNoise(CAMERA.crop(0, 0, 32, 32), 10, new SplittableRandom(5));
        assertArrayEquals(noisy.data(), Bm3d.denoise(noisy, 0).data(), "σ 0: nothing to remove");
        assertThrows(RetouchException.class, () -> Bm3d.denoise(noisy, -1));
        assertThrows(RetouchException.class, () -> Bm3d.denoise(noisy, Double.NaN));
        RetouchException e = assertThrows(RetouchException.class, () -> Bm3d.refine(noisy, CAMERA.crop(0, 0, 32, 31), 10));
        assertTrue(e.getMessage().contains("31x32"), e.getMessage());
        assertEquals(0, Bm3d.refineStripes(7, 100, 25));
        assertEquals(1, Bm3d.refineStripes(55, 100, 25));
        assertEquals(2, Bm3d.refineStripes(56, 100, 25));
    }

    private static double energy(float[][] g) {
        double e = 0;
        for (float[] row : g) for (float v : row) e += v * v;
        return e;
    }
}
