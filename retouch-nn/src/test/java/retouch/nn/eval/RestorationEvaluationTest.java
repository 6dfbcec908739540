package retouch.nn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.RetouchException;
import retouch.data.ImageFolder;
import retouch.degrade.Degradation;
import retouch.degrade.DegradationSpec;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.nn.restore.ClassicalRestorer;

/** The evaluation protocol as a reusable piece: degradations per task, seeded inputs, scores. */
class RestorationEvaluationTest {

    private static Image ramp(int h, int w) {
        Image im = new Image(1, h, w);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) im.data()[y * w + x] = 0.2f + 0.6f * (x + y) / (h + w);
        return im;
    }

    @Test
    void tasksAreScoredOnTheRegistrysDegradations() {
        assertEquals(List.of("jpeg:10", "jpeg:20", "jpeg:30", "jpeg:40"),
                RestorationEvaluation.degradationsFor("jpeg", null).stream().map(Degradation::spec).toList());
        assertEquals(3, RestorationEvaluation.degradationsFor("denoise", List.of(15.0, 25.0, 50.0)).size());
        assertThrows(RetouchException.class, () -> RestorationEvaluation.degradationsFor("denoise", null));
        RetouchException e = assertThrows(RetouchException.class, () -> RestorationEvaluation.degradationsFor("sharpen", null));
        assertTrue(e.getMessage().contains("sr2") && e.getMessage().contains("inpaint"), e.getMessage());
    }

    @Test
    void theTrueNoiseLevelIsToldUnlessBlind() {
        assertEquals(25, RestorationEvaluation.sigmaOf("noise:gauss:25"), 0);
        assertEquals(2, RestorationEvaluation.sigmaOf("blur:gauss:1.6,noise:gauss:2"), 0);
        assertTrue(Double.isNaN(RestorationEvaluation.sigmaOf("noise:gauss:0-55")), "a range is not a known level");
        Degradation noise = DegradationSpec.parse("noise:gauss:25");
        var told = RestorationEvaluation.degrade(ramp(32, 32), noise, 0, new RestorationEvaluation.Protocol(0, false, false, false));
        var blind = RestorationEvaluation.degrade(ramp(32, 32), noise, 0, new RestorationEvaluation.Protocol(0, false, false, true));
        assertEquals(25, told.sigma(), 0);
        assertTrue(Double.isNaN(blind.sigma()));
    }

    @Test
    void inputsAreSeededPerImageAndScoresAreKnown() {
        Degradation noise = DegradationSpec.parse("noise:gauss:25");
        var p = new RestorationEvaluation.Protocol(7, false, true, false);
        var a = RestorationEvaluation.degrade(ramp(64, 64), noise, 3, p);
        var b = RestorationEvaluation.degrade(ramp(64, 64), noise, 3, p);
        var other = RestorationEvaluation.degrade(ramp(64, 64), noise, 4, p);
        assertEquals(java.util.Arrays.toString(a.input().data()), java.util.Arrays.toString(b.input().data()));
        assertTrue(!java.util.Arrays.equals(a.input().data(), other.input().data()), "another image, another noise draw");
        // quantised to 8 bits
        for (float v : a.input().data()) assertEquals(Math.round(v * 255) / 255f, v, 1e-6f);
        // the input itself: PSNR of σ 25 noise on a mid-gray ramp is 20.2 dB (10·log10(255²/25²)), clipping aside
        var s = RestorationEvaluation.score(a, RestorationEvaluation.restore(null, "noisy", a), "noisy");
        assertEquals(20.17, s.psnr(), 0.4);
        assertTrue(Double.isNaN(s.holePsnr()));
        // a 2x downscale is scored against the clean image at its size: bicubic must bring it back
        var sr = RestorationEvaluation.degrade(ramp(64, 64), DegradationSpec.parse("down:bicubic:2"), 0, p);
        assertEquals(2, sr.scale());
        RetouchException e = assertThrows(RetouchException.class,
                () -> RestorationEvaluation.score(sr, RestorationEvaluation.restore(null, "noisy", sr), "noisy"));
        assertTrue(e.getMessage().contains("compare bicubic"), e.getMessage());
        var up = RestorationEvaluation.score(sr, RestorationEvaluation.restore(ClassicalRestorer.byName("bicubic"), "bicubic", sr), "bicubic");
        assertTrue(up.psnr() > 35, "a smooth ramp upscales almost exactly: " + up.psnr());
    }

    @Test
    void superResolutionUsesTheLiteraturesProtocol() {
        // A colour image whose size is not a multiple of 4: the reference is cut to 64x60 (top left),
        // so the x4 result has the reference's size.
        Image rgb = new Image(3, 66, 63);
        float[] d = rgb.data();
        int n = 66 * 63;
        for (int i = 0; i < n; i++) {
            d[i] = 0.3f + 0.4f * (i % 63) / 63f;
            d[n + i] = 0.5f;
            d[2 * n + i] = 0.7f - 0.4f * (i / 63) / 66f;
        }
        var p = new RestorationEvaluation.Protocol(0, false, false, false);
        var sr = RestorationEvaluation.degrade(rgb, DegradationSpec.parse("sr:4"), 0, p);
        assertEquals(4, sr.scale());
        assertEquals(64, sr.clean().height());
        assertEquals(60, sr.clean().width());
        assertEquals(16, sr.input().height());
        assertEquals(15, sr.input().width());
        assertEquals(rgb.data()[63 + 1], sr.clean().data()[60 + 1], 0f);  // top left kept: row 1, column 1
        // Scored on luma Y = (16 + 65.481 R + 128.553 G + 24.966 B) / 255 with a 4-pixel border:
        // a restored image off by +0.1 in B only is off by 24.966 * 0.1 / 255 in Y (PSNR 40.19 dB),
        // where an RGB PSNR would be 10 log10(3 / 0.01) = 24.77 dB.
        Image off = sr.clean().copy();
        int m = 64 * 60;
        for (int i = 0; i < m; i++) off.data()[2 * m + i] += 0.1f;
        var s = RestorationEvaluation.score(sr, off, "offset");
        assertEquals(-20 * Math.log10(24.966 * 0.1 / 255), s.psnr(), 0.01);
        // the 4-pixel border is not scored: damage there leaves a perfect score
        Image border = sr.clean().copy();
        for (int ch = 0; ch < 3; ch++) for (int y = 0; y < 64; y++) for (int x = 0; x < 60; x++) {
            if (y < 4 || y >= 60 || x < 4 || x >= 56) border.data()[ch * m + y * 60 + x] = 1f - border.data()[ch * m + y * 60 + x];
        }
        assertTrue(Double.isInfinite(RestorationEvaluation.score(sr, border, "border").psnr()));
        // a gray image is scored as it is
        var gray = RestorationEvaluation.degrade(ramp(64, 64), DegradationSpec.parse("sr:2"), 0, p);
        Image g = gray.clean().copy();
        for (int i = 0; i < g.data().length; i++) g.data()[i] += 0.01f;
        assertEquals(40.0, RestorationEvaluation.score(gray, g, "offset").psnr(), 0.01);
    }

    @Test
    void inpaintingScoresTheHoleAndNeedsOne(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("set"));
        for (int i = 0; i < 3; i++) ImageFiles.write(ramp(48, 48), dir.resolve("set/im" + i + ".png"), 8);
        ImageFolder folder = ImageFolder.of(dir.resolve("set"));
        List<RestorationEvaluation.Method> methods = new ArrayList<>();
        methods.add(new RestorationEvaluation.Method("noisy", null));
        methods.add(new RestorationEvaluation.Method("telea", ClassicalRestorer.byName("telea")));
        List<String> steps = new ArrayList<>();
        var tables = RestorationEvaluation.run(folder, 3, List.of(DegradationSpec.parse("mask:free:0.1-0.3")), methods,
                new RestorationEvaluation.Protocol(0, false, false, false), dir.resolve("strips"), 2, steps::add);
        assertEquals(3, steps.size());
        var t = tables.get(0);
        assertTrue(t.hasHoles());
        assertEquals(List.of("noisy", "telea"), t.methods());
        // a smooth ramp is easy to fill: Telea's hole PSNR is far above that of the black hole
        assertTrue(t.meanHolePsnr(1) > t.meanHolePsnr(0) + 10, t.meanHolePsnr(0) + " -> " + t.meanHolePsnr(1));
        assertTrue(Files.isRegularFile(dir.resolve("strips/strip-0-mask_free_0.1-0.3.png")));
        assertTrue(Files.isRegularFile(dir.resolve("strips/grid-0-mask_free_0.1-0.3.png")));
        // telea without a hole is refused by name
        var noHole = RestorationEvaluation.degrade(ramp(32, 32), DegradationSpec.parse("noise:gauss:5"), 0, new RestorationEvaluation.Protocol(0, false, false, false));
        RetouchException e = assertThrows(RetouchException.class, () -> RestorationEvaluation.restore(ClassicalRestorer.byName("telea"), "telea", noHole));
        assertTrue(e.getMessage().contains("telea") && e.getMessage().contains("mask"), e.getMessage());
    }
}
