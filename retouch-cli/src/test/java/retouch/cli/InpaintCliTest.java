package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.degrade.Masks;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.nn.Engines;
import retouch.nn.inpaint.UNet;
import retouch.nn.store.Architectures;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;

/**
 * {@code restore --mask} with an inpainting model on a large RGB photo, and the awkward masks:
 * another size, no hole, all hole, none given. A small untrained U-Net stands in for the shipped
 * model: these checks are about the pipeline (sizes, channels, untouched known pixels, errors).
 */
class InpaintCliTest {
    @TempDir static Path dir;
    static Path model;
    static Path photo;
    static Image photoImage;

    @BeforeAll
    static void setUp() throws Exception {
        Engines.init();
        ModelMeta meta = ModelMeta.builder(UNet.ARCHITECTURE).name("inpaint-tiny").channels(1, 1).hyper("levels", 2)
                .hyper("width", 16).hyper("mask", true).tasks("inpaint").valueRange(0, 1).build();
        model = dir.resolve("inpaint-tiny");
        try (NDManager m = NDManager.newBaseManager()) {
            ModelFile.save(model, meta, Architectures.buildInitialized(meta, m));
        }
        // A 1024x768 RGB "photo": smooth colour gradients with some texture, 8-bit.
        Image im = new Image(3, 768, 1024);
        SplittableRandom r = new SplittableRandom(1);
        for (int y = 0; y < 768; y++) {
            for (int x = 0; x < 1024; x++) {
                im.set(0, y, x, (float) (x / 1024.0));
                im.set(1, y, x, (float) (y / 768.0));
                im.set(2, y, x, (float) (0.5 + 0.2 * Math.sin(x / 9.0) + 0.05 * r.nextDouble()));
            }
        }
        photoImage = im.quantize8();
        photo = dir.resolve("photo.png");
        ImageFiles.writePng(photoImage, photo, 8);
    }

    private static Path mask(String name, Image m) {
        Path p = dir.resolve(name);
        ImageFiles.writePng(m, p, 8);
        return p;
    }

    @Test
    void largeRgbPhotoKeepsEveryPixelOutsideTheHandDrawnMask() throws Exception {
        Image strokes = Masks.freeForm(768, 1024, 0.05, 0.15, new SplittableRandom(7));
        Path out = dir.resolve("filled.png");
        Cli.Result r = Cli.run("restore", photo.toString(), "--mask", mask("strokes.png", strokes).toString(), "-o", out.toString(),
                "--model", model.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        Image filled = ImageFiles.read(out);
        assertEquals(3, filled.channels());
        assertEquals(768, filled.height());
        assertEquals(1024, filled.width());
        int n = 768 * 1024, inside = 0;
        float maxOutside = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                float d = Math.abs(filled.data()[c * n + i] - photoImage.data()[c * n + i]);
                if (strokes.data()[i] >= 0.5f) {
                    if (d > 0) inside++;
                } else {
                    maxOutside = Math.max(maxOutside, d);
                }
            }
        }
        assertTrue(maxOutside <= 1f / 255 + 1e-6, "pixels outside the mask changed by up to " + maxOutside * 255 + "/255");
        assertTrue(inside > 1000, "the hole was filled: " + inside + " samples changed");
    }

    /** A JPEG stored 48 px high and shown 48 px wide (EXIF orientation 6): masks go by the photo as displayed. */
    @Test
    void masksFollowThePhotoAsDisplayedUnderExifOrientation() throws Exception {
        Path jpeg = Path.of("..", "retouch-core", "src", "test", "resources", "corpus", "good", "exif-6.jpg");
        Image shown = ImageFiles.read(jpeg);
        assertEquals(48, shown.width());
        assertEquals(32, shown.height());
        Path out = dir.resolve("exif-filled.png");
        Cli.Result r = Cli.run("restore", jpeg.toString(), "--mask", mask("exif-shown.png", Masks.centerBox(32, 48, 0.4)).toString(),
                "-o", out.toString(), "--method", "telea");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals(48, ImageFiles.read(out).width());
        Path stored = dir.resolve("exif-stored-out.png");
        r = Cli.run("restore", jpeg.toString(), "--mask", mask("exif-stored.png", Masks.centerBox(48, 32, 0.4)).toString(),
                "-o", stored.toString(), "--method", "telea");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("exif-stored.png") && r.err().contains("EXIF orientation"), r.err());
        assertFalse(Files.exists(stored));
    }

    @Test
    void awkwardMasksGiveAResultOrAClearError() throws Exception {
        // Another size: resized to the photo.
        Path out = dir.resolve("a.png");
        Cli.Result r = Cli.run("restore", photo.toString(), "--mask", mask("small.png", Masks.centerBox(96, 128, 0.3)).toString(),
                "-o", out.toString(), "--model", model.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals(1024, ImageFiles.read(out).width());
        // Another shape (a mask for the photo turned a quarter): refused, naming the mask and both sizes, nothing written.
        Path wrong = dir.resolve("wrong-shape.png");
        r = Cli.run("restore", photo.toString(), "--mask", mask("turned.png", Masks.centerBox(1024, 768, 0.3)).toString(),
                "-o", wrong.toString(), "--model", model.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("turned.png") && r.err().contains("768x1024") && r.err().contains("1024x768")
                && r.err().contains("EXIF"), r.err());
        assertFalse(Files.exists(wrong));
        // No hole: the photo comes back as it was.
        Path same = dir.resolve("same.png");
        r = Cli.run("restore", photo.toString(), "--mask", mask("none.png", new Image(1, 768, 1024)).toString(), "-o", same.toString(),
                "--model", model.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(java.util.Arrays.equals(photoImage.data(), ImageFiles.read(same).data()));
        // All hole: refused with a reason, nothing written.
        Path none = dir.resolve("none-out.png");
        r = Cli.run("restore", photo.toString(), "--mask", mask("all.png", Image.filled(1, 768, 1024, 1f)).toString(), "-o", none.toString(),
                "--model", model.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("every pixel"), r.err());
        assertFalse(Files.exists(none));
        // No mask at all.
        r = Cli.run("restore", photo.toString(), "-o", none.toString(), "--model", model.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("--mask"), r.err());
        // A corrupt mask file.
        Path junk = dir.resolve("junk.png");
        Files.write(junk, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        r = Cli.run("restore", photo.toString(), "--mask", junk.toString(), "-o", none.toString(), "--model", model.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("junk.png"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void aFolderOfMasksGivesEachPhotoItsOwn() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos")), masks = Files.createDirectories(dir.resolve("masks"));
        Image small = photoImage.crop(0, 0, 96, 128);
        ImageFiles.writePng(small, photos.resolve("a.png"), 8);
        ImageFiles.writePng(small, photos.resolve("b.png"), 8);
        Image left = new Image(1, 96, 128), right = new Image(1, 96, 128);
        for (int y = 30; y < 60; y++) {
            for (int x = 10; x < 40; x++) left.set(0, y, x, 1f);
            for (int x = 80; x < 110; x++) right.set(0, y, x, 1f);
        }
        ImageFiles.writePng(left, masks.resolve("a.png"), 8);
        ImageFiles.writePng(right, masks.resolve("b_mask.png"), 8);
        Path out = dir.resolve("filled");
        Cli.Result r = Cli.run("restore", photos.toString(), "--mask", masks.toString(), "-o", out.toString(), "--model", model.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        for (String name : new String[] {"a", "b"}) {
            Image filled = ImageFiles.read(out.resolve(name + ".png"));
            Image hole = name.equals("a") ? left : right;
            int changedOutside = 0, changedInside = 0;
            for (int y = 0; y < 96; y++) {
                for (int x = 0; x < 128; x++) {
                    boolean differs = false;
                    for (int c = 0; c < 3; c++) differs |= filled.get(c, y, x) != small.get(c, y, x);
                    if (differs && hole.get(0, y, x) < 0.5f) changedOutside++;
                    if (differs && hole.get(0, y, x) >= 0.5f) changedInside++;
                }
            }
            assertEquals(0, changedOutside, name + ": pixels outside its own mask changed");
            assertTrue(changedInside > 100, name + ": its own hole was filled (" + changedInside + " pixels changed)");
        }
        // A photo without a mask of its name: refused, naming the photo and the fix.
        ImageFiles.writePng(small, photos.resolve("c.png"), 8);
        r = Cli.run("restore", photos.toString(), "--mask", masks.toString(), "-o", dir.resolve("filled2").toString(), "--model", model.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("c.png") && r.err().contains("c_mask.png"), r.err());
    }

    @Test
    void aColourInpainterStartsFromAGrayOne() throws Exception {
        Path data = Files.createDirectories(dir.resolve("train-photos"));
        for (int i = 0; i < 6; i++) ImageFiles.writePng(photoImage.crop(40 * i, 60 * i, 48, 64), data.resolve("p" + i + ".png"), 8);
        String[] common = {"train", "inpaint", "--data", data.toString(), "--size", "32", "--levels", "2", "--batch", "2",
                "--steps", "2", "--validate-every", "0", "--val-every", "3", "--quiet"};
        Path gray = dir.resolve("run-gray"), colour = dir.resolve("run-colour");
        Cli.Result r = Cli.run(concat(common, "--width", "16", "--out", gray.toString()));
        assertEquals(ExitCodes.OK, r.code(), r.err());
        r = Cli.run(concat(common, "--width", "16", "--channels", "3", "--gray-fraction", "0.25", "--init-from", gray.resolve("checkpoint").toString(),
                "--out", colour.toString()));
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String json = Files.readString(colour.resolve("checkpoint").resolve("model.json"));
        assertTrue(json.contains("expanded to RGB") && json.contains("gray_fraction"), json);
        // another width cannot start from it: a clear refusal
        r = Cli.run(concat(common, "--channels", "3", "--width", "24", "--init-from", gray.resolve("checkpoint").toString(),
                "--out", dir.resolve("run-bad").toString()));
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("width 16") && r.err().contains("width 24"), r.err());
        r = Cli.run(concat(common, "--gray-fraction", "0.5", "--out", dir.resolve("run-bad2").toString()));
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("--channels 3"), r.err());
    }

    @Test
    void aTrainedInpainterGrowsFourierBlocksAndStillFillsOnlyTheHoles() throws Exception {
        Path data = Files.createDirectories(dir.resolve("grow-photos"));
        for (int i = 0; i < 6; i++) ImageFiles.writePng(photoImage.crop(40 * i, 60 * i, 48, 64), data.resolve("p" + i + ".png"), 8);
        String[] common = {"train", "inpaint", "--data", data.toString(), "--size", "32", "--levels", "2", "--width", "16", "--batch", "2",
                "--steps", "2", "--validate-every", "0", "--val-every", "3", "--quiet"};
        Path plain = dir.resolve("run-plain"), grown = dir.resolve("run-ffc");
        Cli.Result r = Cli.run(concat(common, "--out", plain.toString()));
        assertEquals(ExitCodes.OK, r.code(), r.err());
        r = Cli.run(concat(common, "--bottom-blocks", "2", "--trained-lr-scale", "0.2", "--init-from", plain.resolve("checkpoint").toString(),
                "--out", grown.toString()));
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String json = Files.readString(grown.resolve("checkpoint").resolve("model.json"));
        assertTrue(json.replaceAll("\\s", "").contains("\"bottom_blocks\":2") && json.replaceAll("\\s", "").contains("\"bottom_kind\":\"ffc\"") && json.contains("grown to 2 ffc"), json);

        // the grown model restores a photo of another size than it trained on; pixels outside the hole stay
        Path photo = dir.resolve("grow-photo.png"), mask = dir.resolve("grow-mask.png"), out = dir.resolve("grow-out.png");
        Image src = photoImage.crop(0, 0, 72, 100);
        ImageFiles.writePng(src, photo, 8);
        float[] mv = new float[72 * 100];
        for (int y = 20; y < 50; y++) for (int x = 30; x < 70; x++) mv[y * 100 + x] = 1f;
        ImageFiles.writePng(new Image(1, 72, 100, mv), mask, 8);
        r = Cli.run("restore", photo.toString(), "--mask", mask.toString(), "-o", out.toString(), "--model", grown.resolve("checkpoint").toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        Image back = ImageFiles.read(out), in = ImageFiles.read(photo);
        assertEquals(72, back.height());
        assertEquals(100, back.width());
        for (int c = 0; c < in.channels(); c++) assertEquals(in.get(c, 5, 5), back.get(c, 5, 5), 0f, "a known pixel is kept");

        r = Cli.run(concat(common, "--bottom-kind", "fourier", "--bottom-blocks", "1", "--out", dir.resolve("run-bad3").toString()));
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("ffc or dilated"), r.err());
        r = Cli.run(concat(common, "--trained-lr-scale", "0.5", "--out", dir.resolve("run-bad4").toString()));
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("--bottom-blocks"), r.err());
        // fewer bottom blocks than the start model: a clear refusal naming both
        r = Cli.run(concat(common, "--bottom-blocks", "1", "--init-from", grown.resolve("checkpoint").toString(), "--out", dir.resolve("run-bad5").toString()));
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("2 bottom blocks") && r.err().contains("1 bottom blocks"), r.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
