package retouch.nn.inpaint;

import retouch.restore.RestoreParams;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.RetouchException;
import retouch.degrade.Masks;
import retouch.image.Image;
import retouch.nn.Engines;
import retouch.nn.restore.Restorer;
import retouch.nn.restore.Restorers;
import retouch.nn.store.Architectures;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.Trainer;

class InpaintTest {

    @TempDir
    Path tmp;

    /** Smooth ramps in random directions: a hole in them is predictable from its border. */
    static List<Image> ramps(int n, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Image> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = r.nextDouble() * 2 * Math.PI, base = 0.2 + 0.3 * r.nextDouble(), slope = 0.5 / size;
            Image im = new Image(1, size, size);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    im.set(0, y, x, (float) (base + slope * (x * Math.cos(a) + y * Math.sin(a))));
                }
            }
            out.add(im);
        }
        return out;
    }

    private static InpaintTraining.Config config(float adv, long steps) {
        return new InpaintTraining.Config("inpaint", 1, 32, 2, 16, 16, adv, 6f, 0.1, 0.4, true, 8, 1e-3f, 1e-4f, steps, "ramps");
    }

    private static Trainer trainer(Path dir, long steps, long stopAt) {
        return Trainer.builder().setRunDir(dir).setSteps(steps).optSeed(3).optLogEvery(1).optCheckpointEvery(10)
                .optValidateEvery(steps).optSampleEvery(steps).optStopAt(stopAt).optQuiet(true).optShutdownHook(false)
                .optCommand("test").build();
    }

    private static double column(List<String> csv, String name, int from, int to) {
        int col = List.of(csv.get(0).split(",")).indexOf(name);
        double s = 0;
        for (int i = from; i < to; i++) s += Double.parseDouble(csv.get(1 + i).split(",")[col]);
        return s / (to - from);
    }

    @Test
    void l1TrainingLowersTheHoleErrorAndBeatsAGrayFill() throws IOException {
        Path run = tmp.resolve("l1");
        List<Image> val = ramps(4, 40, 2);
        trainer(run, 80, 0).fit(new InpaintTraining(config(0f, 80), ramps(64, 48, 1), val));
        List<String> csv = Files.readAllLines(run.resolve(Trainer.LOG_CSV));
        double early = column(csv, "l1_hole", 0, 5), late = column(csv, "l1_hole", 75, 80);
        assertTrue(late < 0.5 * early, "hole L1 should fall: first steps " + early + ", last " + late);
        String last = csv.get(csv.size() - 1);
        int holeCol = List.of(csv.get(0).split(",")).indexOf("val_hole_psnr");
        // The same held-out masks as the training's validation, filled with mid-gray (what the network sees in the hole).
        double flat = 0;
        for (int i = 0; i < val.size(); i++) {
            Image mask = Masks.freeForm(40, 40, 0.1, 0.3, new SplittableRandom(1000 + i));
            flat += retouch.metrics.Psnr.inMask(val.get(i), Image.filled(1, 40, 40, 0.5f), mask) / val.size();
        }
        double net = Double.parseDouble(last.split(",")[holeCol]);
        assertTrue(net > flat + 3, "network hole PSNR " + net + " vs flat fill " + flat);
        assertTrue(Files.isRegularFile(run.resolve("samples/step-0000080.png")));
    }

    @Test
    void ganTrainingRunsResumesAndLoadsForRestore() throws IOException {
        Path run = tmp.resolve("gan");
        trainer(run, 20, 12).fit(new InpaintTraining(config(0.05f, 20), ramps(32, 40, 1), ramps(2, 32, 2)));
        trainer(run, 20, 0).fit(new InpaintTraining(config(0.05f, 20), ramps(32, 40, 1), ramps(2, 32, 2)));
        List<String> csv = Files.readAllLines(run.resolve(Trainer.LOG_CSV));
        assertTrue(csv.get(0).contains("loss_d") && csv.get(0).contains("loss_adv"), csv.get(0));
        for (String line : csv.subList(1, csv.size())) {
            for (String f : line.split(",")) if (!f.isEmpty()) assertTrue(Double.isFinite(Double.parseDouble(f)), line);
        }
        assertEquals("20", csv.get(csv.size() - 1).split(",")[0]);
        try (Restorer r = Restorers.open(run.resolve(Trainer.CHECKPOINT).toString(), 64)) {
            assertEquals("inpaint", r.task());
            Image im = ramps(1, 50, 9).get(0);
            Image mask = Masks.centerBox(50, 50, 0.4);
            Image out = r.apply(im, RestoreParams.defaults().withMask(mask));
            assertEquals(50, out.height());
            assertThrows(RetouchException.class, () -> r.apply(im, RestoreParams.defaults()), "no mask");
        }
    }

    @Test
    void deblurGanTrainsAndRestoresWholeImages() throws IOException {
        Path run = tmp.resolve("deblur");
        var cfg = new InpaintTraining.Config("deblur-gan", 1, 32, 2, 16, 16, 0.05f, 1f, 0, 1, true, 8, 1e-3f, 1e-4f, 15, "ramps");
        trainer(run, 15, 0).fit(new InpaintTraining(cfg, ramps(16, 40, 1), ramps(2, 36, 2)));
        List<String> csv = Files.readAllLines(run.resolve(Trainer.LOG_CSV));
        assertTrue(csv.get(0).contains("val_psnr") && csv.get(0).contains("loss_d"), csv.get(0));
        for (String line : csv.subList(1, csv.size())) {
            for (String f : line.split(",")) if (!f.isEmpty()) assertTrue(Double.isFinite(Double.parseDouble(f)), line);
        }
        try (Restorer r = Restorers.open(run.resolve(Trainer.CHECKPOINT).toString(), 64)) {
            assertEquals("deblur-gan", r.task());
            Image im = ramps(1, 45, 4).get(0);
            Image out = r.apply(im, RestoreParams.defaults());
            assertEquals(45, out.height());
            assertEquals(45, out.width());
            for (float f : out.data()) assertTrue(f >= 0 && f <= 1);
        }
    }

    @Test
    void inpainterChangesOnlyTheHoleAtAnySize() throws Exception {
        withUntrainedInpainter((meta, m, net) -> {
            Inpainter ip = new Inpainter(net, meta, m, 32); // tiles of 32 on a 45x70 image: several tiles
            SplittableRandom r = new SplittableRandom(4);
            Image rgb = new Image(3, 45, 70);
            for (int i = 0; i < rgb.data().length; i++) rgb.data()[i] = (float) r.nextDouble();
            Image mask = Masks.freeForm(45, 70, 0.1, 0.3, r);
            Image out = ip.inpaint(rgb, mask);
            assertEquals(3, out.channels());
            assertEquals(45, out.height());
            assertEquals(70, out.width());
            boolean changed = false;
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 45 * 70; i++) {
                    float o = out.data()[c * 45 * 70 + i], in = rgb.data()[c * 45 * 70 + i];
                    if (mask.data()[i] < 0.5f) assertEquals(in, o, 0f, "known pixel " + i + " changed");
                    else {
                        assertTrue(o >= 0 && o <= 1, "hole pixel out of range: " + o);
                        changed |= o != in;
                    }
                }
            }
            assertTrue(changed, "the hole should be filled by the network");

            Image small = Masks.centerBox(9, 14, 0.5); // a mask of another size is resized to the image
            Image resized = ip.inpaint(rgb, small);
            assertEquals(rgb.data()[0], resized.data()[0], 0f);
            assertFalse(rgb.data()[22 * 70 + 35] == resized.data()[22 * 70 + 35], "the centre lies in the resized hole");

            Image none = ip.inpaint(rgb, new Image(1, 45, 70));
            assertTrue(java.util.Arrays.equals(rgb.data(), none.data()), "no hole: the image comes back unchanged");
            RetouchException e = assertThrows(RetouchException.class, () -> ip.inpaint(rgb, Image.filled(1, 45, 70, 1f)));
            assertTrue(e.getMessage().contains("every pixel"), e.getMessage());
            assertThrows(RetouchException.class, () -> ip.restore(rgb), "an inpainting net needs a mask");
                });
    }

    @Test
    void distanceAndHalfMaskKnownAnswers() {
        Image box = new Image(1, 11, 11);
        for (int y = 3; y < 8; y++) for (int x = 3; x < 8; x++) box.set(0, y, x, 1f);
        float[] d = Inpainter.distanceToKnown(box);
        assertEquals(0f, d[0], 0f);
        assertEquals(1f, d[3 * 11 + 5], 1e-4f); // on the hole's edge
        assertEquals(3f, d[5 * 11 + 5], 1e-4f); // the centre of a 5x5 hole
        // against brute force on free-form strokes
        Image free = Masks.freeForm(40, 50, 0.2, 0.4, new SplittableRandom(8));
        float[] fast = Inpainter.distanceToKnown(free);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 50; x++) {
                double best = free.get(0, y, x) < 0.5f ? 0 : Double.MAX_VALUE;
                for (int yy = 0; yy < 40 && best > 0; yy++) {
                    for (int xx = 0; xx < 50; xx++) {
                        if (free.get(0, yy, xx) < 0.5f) best = Math.min(best, Math.hypot(y - yy, x - xx));
                    }
                }
                assertEquals(best, fast[y * 50 + x], 1e-4, "pixel " + x + "," + y);
            }
        }
        Image one = new Image(1, 5, 5);
        one.set(0, 4, 4, 1f);
        Image half = Inpainter.anyHoleHalf(one);
        assertEquals(3, half.height());
        assertEquals(3, half.width());
        for (int i = 0; i < 9; i++) assertEquals(i == 8 ? 1f : 0f, half.data()[i], 0f, "coarse pixel " + i);
    }

    @Test
    void multiScaleChangesOnlyTheDepthsOfWideHoles() throws Exception {
        withUntrainedInpainter((meta, m, net) -> {
            SplittableRandom r = new SplittableRandom(5);
            Image x = uniformNoise(128, 128, r);
            Image wide = Masks.centerBox(128, 128, 0.625); // 80x80: 40 px deep
            Image plain = new Inpainter(net, meta, m, 256).multiScale(false).inpaint(x, wide);
            Image multi = new Inpainter(net, meta, m, 256).multiScale(true).inpaint(x, wide);
            float[] depth = Inpainter.distanceToKnown(wide);
            int deep = 0, moved = 0;
            for (int i = 0; i < x.pixels(); i++) {
                float a = plain.data()[i], b = multi.data()[i];
                if (wide.data()[i] < 0.5f) {
                    assertEquals(x.data()[i], b, 0f, "known pixel " + i + " changed");
                    continue;
                }
                // the coarse fills' weight grows with the depth: at most depth/32 of the way
                assertTrue(Math.abs(a - b) <= depth[i] / Inpainter.BLEND_DEPTH + 1e-5, "pixel " + i + " at depth " + depth[i]);
                if (depth[i] >= Inpainter.BLEND_DEPTH) {
                    deep++;
                    if (a != b) moved++; // an untrained net fills almost flat, so the change is small but there
                }
            }
            assertTrue(deep > 100 && moved > deep / 2, "deep pixels " + deep + ", changed " + moved + " e.g. " + plain.data()[64 * 128 + 64] + " vs " + multi.data()[64 * 128 + 64]);

            Image thin = new Image(1, 128, 128); // a 6-px stroke: 3 px deep, the network sees across it
            for (int y = 20; y < 26; y++) for (int xx = 10; xx < 120; xx++) thin.set(0, y, xx, 1f);
            Image p2 = new Inpainter(net, meta, m, 256).multiScale(false).inpaint(x, thin);
            Image m2 = new Inpainter(net, meta, m, 256).multiScale(true).inpaint(x, thin);
            assertArrayEquals(p2.data(), m2.data(), 0f);
                });
    }

    @Test
    void flipEnsembleAveragesTheMirroredPasses() throws Exception {
        withUntrainedInpainter((meta, m, net) -> {
            SplittableRandom r = new SplittableRandom(9);
            Image x = uniformNoise(32, 32, r);
            Image mask = Masks.freeForm(32, 32, 0.2, 0.4, r);
            // one tile covers the image (no padding), so mirroring the image mirrors the network's input exactly
            Image plain = new Inpainter(net, meta, m, 64).inpaint(x, mask);
            Image mirrored = mirror(new Inpainter(net, meta, m, 64).inpaint(mirror(x), mirror(mask)));
            Image ens = new Inpainter(net, meta, m, 64).ensemble(2).inpaint(x, mask);
            int checked = 0;
            for (int i = 0; i < x.pixels(); i++) {
                float a = plain.data()[i], b = mirrored.data()[i], e = ens.data()[i];
                if (mask.data()[i] < 0.5f) {
                    assertEquals(x.data()[i], e, 0f, "known pixel " + i + " changed");
                } else if (a > 0 && a < 1 && b > 0 && b < 1) { // unclipped: the mean is exact
                    assertEquals((a + b) / 2, e, 1e-4f, "hole pixel " + i);
                    checked++;
                }
            }
            assertTrue(checked > 20, "too few hole pixels compared: " + checked);
            // eight: the four flips of the tile and of its transpose, transposed back
            Image four = new Inpainter(net, meta, m, 64).ensemble(4).inpaint(x, mask);
            Image fourT = transpose(new Inpainter(net, meta, m, 64).ensemble(4).inpaint(transpose(x), transpose(mask)));
            Image eight = new Inpainter(net, meta, m, 64).ensemble(8).inpaint(x, mask);
            checked = 0;
            for (int i = 0; i < x.pixels(); i++) {
                float a = four.data()[i], b = fourT.data()[i], e = eight.data()[i];
                if (mask.data()[i] < 0.5f) {
                    assertEquals(x.data()[i], e, 0f, "known pixel " + i + " changed");
                } else if (a > 0 && a < 1 && b > 0 && b < 1) {
                    assertEquals((a + b) / 2, e, 1e-4f, "hole pixel " + i + " (eight passes)");
                    checked++;
                }
            }
            assertTrue(checked > 20, "too few hole pixels compared: " + checked);
            assertThrows(RetouchException.class, () -> new Inpainter(net, meta, m, 64).ensemble(3));
                });
    }

    private static Image transpose(Image a) {
        Image t = new Image(a.channels(), a.width(), a.height());
        for (int c = 0; c < a.channels(); c++) {
            for (int y = 0; y < a.height(); y++) for (int x = 0; x < a.width(); x++) t.set(c, x, y, a.get(c, y, x));
        }
        return t;
    }

    /** A small untrained gray inpainting U-Net (2 levels, width 16). */
    private static ModelMeta smallGrayInpainter() {
        return ModelMeta.builder(UNet.ARCHITECTURE).channels(1, 1).hyper("levels", 2).hyper("width", 16)
                .hyper("mask", true).tasks("inpaint").build();
    }

    private static Image mirror(Image a) {
        Image o = new Image(a.channels(), a.height(), a.width());
        for (int c = 0; c < a.channels(); c++) {
            for (int y = 0; y < a.height(); y++) {
                for (int x = 0; x < a.width(); x++) o.set(c, y, x, a.get(c, y, a.width() - 1 - x));
            }
        }
        return o;
    }

    /** A gray image of uniform noise: every pixel is informative, so fills cannot copy a flat neighbour. */
    private static Image uniformNoise(int h, int w, SplittableRandom r) {
        Image x = new Image(1, h, w);
        for (int i = 0; i < x.data().length; i++) x.data()[i] = (float) r.nextDouble();
        return x;
    }

    /** A test body given a small untrained gray inpainter and the manager holding its weights. */
    private interface UntrainedInpainterTest {
        void run(ModelMeta meta, NDManager manager, UNet net) throws Exception;
    }

    private static void withUntrainedInpainter(UntrainedInpainterTest body) throws Exception {
        Engines.init();
        ModelMeta meta = smallGrayInpainter();
        try (NDManager m = NDManager.newBaseManager()) {
            body.run(meta, m, (UNet) Architectures.buildInitialized(meta, m));
        }
    }
}
