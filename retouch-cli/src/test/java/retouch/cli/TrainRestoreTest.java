package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static retouch.cli.Cli.concat;
import static retouch.cli.TrainRuns.crops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.image.Image;
import retouch.image.ImageFiles;

/** Tiny end-to-end trainings of the deblurring and super-resolution tasks through the CLI. */
class TrainRestoreTest {
    @TempDir static Path tmp;

    /** A tiny restoration training of {@code task} into {@code run} (40 steps, validated and saved at the end); its log. */
    private static TrainRuns.Log trainTiny(String task, Path run) throws Exception {
        Cli.Result r = Cli.run("train", "restore", "--task", task, "--data", crops(tmp).toString(), "--depth", "3", "--width", "16",
                "--patch", "32", "--batch", "4", "--steps", "40", "--lr", "3e-3", "--validate-every", "40", "--val-every", "3",
                "--checkpoint-every", "40", "--quiet", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        return TrainRuns.Log.of(run);
    }

    @Test
    void superResolutionTrainsAndUpscales() throws Exception {
        Path run = tmp.resolve("sr2");
        TrainRuns.Log log = trainTiny("sr2", run);
        List<String> head = log.columns();
        int loss = head.indexOf("loss"), val = head.indexOf("val_psnr"), in = head.indexOf("val_psnr_input");
        assertTrue(loss >= 0 && val >= 0 && in >= 0, "columns: " + head);
        double first = log.first("loss");
        double last = log.last("loss");
        assertTrue(last < first, "loss should fall: " + first + " -> " + last);
        // The restore command runs the model at its own factor.
        Path lr = tmp.resolve("lr.png");
        ImageFiles.writePng(ImageFiles.read(Cli.sample("camera.png")).crop(0, 0, 30, 40), lr);
        Path out = tmp.resolve("sr.png");
        Cli.Result rr = Cli.run("restore", lr.toString(), "-o", out.toString(), "--model", run.resolve("checkpoint").toString());
        assertEquals(0, rr.code(), rr.err());
        assertEquals(80, ImageFiles.probe(out).width());
        assertEquals(60, ImageFiles.probe(out).height());
    }

    /** The low-resolution network: trains from the CLI, reports Y-channel validation against bicubic, upscales RGB and gray photos. */
    @Test
    void lowResolutionSuperResolutionTrainsAndUpscales() throws Exception {
        Path run = tmp.resolve("sr2-edsr");
        Cli.Result r = Cli.run(edsrArgs("sr2", "32", run));
        assertEquals(0, r.code(), r.err());
        TrainRuns.Log log = TrainRuns.Log.of(run);
        assertTrue(log.last("loss") < log.first("loss"), "loss should fall: " + log.first("loss") + " -> " + log.last("loss"));
        double bicubic = log.last("val_psnr_input");
        assertTrue(bicubic > 18 && bicubic < 45, "bicubic validation PSNR " + bicubic);
        assertTrue(Files.readString(run.resolve("checkpoint/model.json")).contains("\"edsr\""));
        for (String sample : new String[] {"chelsea.png", "camera.png"}) {
            Path lr = tmp.resolve("lr-" + sample);
            Image small = ImageFiles.read(Cli.sample(sample)).crop(0, 0, 30, 41);
            ImageFiles.writePng(small, lr);
            Path out = tmp.resolve("sr-" + sample);
            Cli.Result rr = Cli.run("restore", lr.toString(), "-o", out.toString(), "--model", run.resolve("checkpoint").toString());
            assertEquals(0, rr.code(), rr.err());
            Image up = ImageFiles.read(out);
            assertEquals(82, up.width());
            assertEquals(60, up.height());
            assertEquals(small.channels(), up.channels(), "the photo keeps its mode");
        }
        // a x4 network starts from the x2 one's low-resolution body; its tail starts afresh
        Path x4 = tmp.resolve("sr4-edsr");
        Cli.Result r4 = Cli.run(concat(edsrArgs("sr4", "32", x4), "--init-from", run.resolve("checkpoint").toString()));
        assertEquals(0, r4.code(), r4.err());
        assertTrue(Files.readString(x4.resolve("checkpoint/model.json")).contains("x2 body; the x4 tail starts afresh"));
        String[] wider = edsrArgs("sr4", "32", tmp.resolve("sr4-wider"));
        wider[java.util.Arrays.asList(wider).indexOf("--width") + 1] = "32";
        Cli.Result mismatch = Cli.run(concat(wider, "--init-from", run.resolve("checkpoint").toString()));
        assertEquals(ExitCodes.BAD_INPUT, mismatch.code(), mismatch.err());
        assertTrue(mismatch.err().contains("only with the same channels, width and blocks"), mismatch.err());
        Cli.Result badPatch = Cli.run(edsrArgs("sr4", "34", tmp.resolve("sr2-bad")));
        assertEquals(ExitCodes.BAD_INPUT, badPatch.code(), badPatch.err());
        assertTrue(badPatch.err().contains("--patch must be a multiple of 4"), badPatch.err());
        Cli.Result wrongTask = Cli.run(edsrArgs("deblur", "32", tmp.resolve("sr2-bad2")));
        assertEquals(ExitCodes.BAD_INPUT, wrongTask.code(), wrongTask.err());
        assertTrue(wrongTask.err().contains("--arch edsr trains super-resolution"), wrongTask.err());
    }

    /** Deblurring by an RGB U-Net: trains from the CLI, beats its blurred input on validation, restores colour and gray photos. */
    @Test
    void unetDeblurrerTrainsAndRestores() throws Exception {
        Path run = tmp.resolve("deblur-unet");
        Cli.Result r = Cli.run("train", "restore", "--task", "deblur", "--arch", "unet", "--channels", "3", "--data", crops(tmp).toString(),
                "--width", "8", "--levels", "2", "--blocks", "1", "--patch", "32", "--batch", "4", "--steps", "60", "--lr", "2e-3",
                "--loss", "l1", "--validate-every", "60", "--val-every", "3", "--checkpoint-every", "60", "--quiet", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        TrainRuns.Log log = TrainRuns.Log.of(run);
        assertTrue(log.last("loss") < log.first("loss"), "loss should fall: " + log.first("loss") + " -> " + log.last("loss"));
        String json = Files.readString(run.resolve("checkpoint/model.json"));
        assertTrue(json.contains("\"unet-denoiser\"") && json.contains("\"deblur\""), json);
        for (String sample : new String[] {"chelsea.png", "camera.png"}) {
            Path in = tmp.resolve("blurred-" + sample);
            Image photo = ImageFiles.read(Cli.sample(sample)).crop(0, 0, 50, 61);
            ImageFiles.writePng(photo, in);
            Path out = tmp.resolve("deblurred-" + sample);
            Cli.Result rr = Cli.run("restore", in.toString(), "-o", out.toString(), "--model", run.resolve("checkpoint").toString(),
                    "--deblur-mode", "network");
            assertEquals(0, rr.code(), rr.err());
            Image restored = ImageFiles.read(out);
            assertEquals(61, restored.width());
            assertEquals(50, restored.height());
            assertEquals(photo.channels(), restored.channels(), "the photo keeps its mode");
        }
        Cli.Result badPatch = Cli.run("train", "restore", "--task", "deblur", "--arch", "unet", "--data", crops(tmp).toString(),
                "--levels", "3", "--patch", "36", "--steps", "1", "--quiet", "--out", tmp.resolve("deblur-bad").toString());
        assertEquals(ExitCodes.BAD_INPUT, badPatch.code(), badPatch.err());
        assertTrue(badPatch.err().contains("--patch must be a multiple of 16"), badPatch.err());
    }

    private static String[] edsrArgs(String task, String patch, Path run) throws Exception {
        return new String[] {"train", "restore", "--task", task, "--arch", "edsr", "--channels", "3", "--data", crops(tmp).toString(),
                "--width", "16", "--blocks", "2", "--patch", patch, "--batch", "4", "--steps", "40", "--lr", "2e-3", "--loss", "l1",
                "--validate-every", "40", "--val-every", "3", "--checkpoint-every", "40", "--quiet", "--out", run.toString()};
    }

    @Test
    void denoiserTrainsResumesAndValidates() throws Exception {
        Path run = tmp.resolve("denoise");
        String[] args = {"train", "denoise", "--data", crops(tmp).toString(), "--depth", "3", "--width", "16", "--patch", "32",
                "--batch", "8", "--steps", "60", "--lr", "3e-3", "--validate-every", "30", "--val-every", "3",
                "--checkpoint-every", "30", "--quiet", "--out", run.toString()};
        assertEquals(0, Cli.run(concat(args, "--stop-at", "30")).code());
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("finished at step 60"), r.out());
        TrainRuns.Log log = TrainRuns.Log.of(run);
        assertTrue(log.columns().indexOf("val_psnr25") >= 0, "columns: " + log.columns());
        assertTrue(log.last("loss") < log.first("loss"));
        double psnr25 = log.last("val_psnr25");
        // Noisy σ25 input is 20.2 dB; even 60 tiny steps must not make it worse than that.
        assertTrue(psnr25 > 20.5, "validation PSNR at σ25: " + psnr25);
    }

    @Test
    void denoiserTrainsOnDownscaledCopies() throws Exception {
        Path run = tmp.resolve("denoise-scales");
        Cli.Result r = Cli.run("train", "denoise", "--data", crops(tmp).toString(), "--depth", "3", "--width", "16", "--patch", "32",
                "--batch", "8", "--steps", "30", "--lr", "3e-3", "--validate-every", "30", "--val-every", "3", "--scales", "1,0.5",
                "--checkpoint-every", "30", "--quiet", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        String json = Files.readString(run.resolve("checkpoint").resolve("model.json"));
        assertTrue(json.contains("\"scales\" : [ 1.0, 0.5 ]") && json.contains("at scales [1.0, 0.5]"), json);
        // the 96-px crops halved are 48 px: too small for 64-px patches, so only scale 1 could feed them
        Cli.Result small = Cli.run("train", "denoise", "--data", crops(tmp).toString(), "--depth", "3", "--width", "16", "--patch", "64",
                "--batch", "4", "--steps", "2", "--scales", "0.5", "--quiet", "--out", tmp.resolve("denoise-scales-small").toString());
        assertTrue(small.code() != 0 && small.err().contains("at scales [0.5]") && small.err().contains("--patch"), small.err());
        Cli.Result bad = Cli.run("train", "denoise", "--data", crops(tmp).toString(), "--scales", "1,1.5", "--steps", "2", "--quiet",
                "--out", tmp.resolve("denoise-scales-bad").toString());
        assertTrue(bad.code() != 0 && bad.err().contains("--scales"), bad.err());
    }

    @Test
    void extendedRunRampsItsLearningRateIn() throws Exception {
        Path run = tmp.resolve("ramp");
        String[] common = {"train", "denoise", "--data", crops(tmp).toString(), "--depth", "3", "--width", "8", "--patch", "32",
                "--batch", "2", "--validate-every", "0", "--val-every", "3", "--checkpoint-every", "20", "--quiet",
                "--out", run.toString()};
        assertEquals(0, Cli.run(concat(common, "--steps", "20", "--lr", "1e-3")).code());
        Cli.Result bad = Cli.run(concat(common, "--steps", "40", "--lr", "1e-3", "--lr-ramp", "20"));
        assertEquals(ExitCodes.BAD_INPUT, bad.code(), bad.err());
        assertTrue(bad.err().contains("--lr-ramp must be FROM:N"), bad.err());
        Cli.Result r = Cli.run(concat(common, "--steps", "40", "--lr", "1e-3", "--lr-ramp", "20:10"));
        assertEquals(0, r.code(), r.err());
        TrainRuns.Log log = TrainRuns.Log.of(run);
        int checked = 0;
        for (String[] row : log.rows()) {
            long s = Long.parseLong(row[log.column("step")]);
            if (s <= 20) continue;
            double planned = 1e-5 + 0.5 * (1e-3 - 1e-5) * (1 + Math.cos(Math.PI * (s - 1) / 39.0));
            double expected = s < 30 ? planned * (s - 20) / 10.0 : planned;
            assertEquals(expected, log.value(row, "lr"), expected * 1e-4, "lr at step " + s);
            checked++;
        }
        assertTrue(checked >= 2, "logged rows after the resume: " + checked);
    }

    @Test
    void jpegArtefactRemovalTrainsAndRestores() throws Exception {
        Path run = tmp.resolve("jpeg");
        Cli.Result bad = Cli.run("train", "restore", "--task", "jpeg", "--data", crops(tmp).toString(), "--patch", "36", "--steps", "1",
                "--quiet", "--out", tmp.resolve("jpeg-bad").toString());
        assertEquals(ExitCodes.BAD_INPUT, bad.code(), bad.err());
        assertTrue(bad.err().contains("multiple of 8"), bad.err());
        TrainRuns.Log log = trainTiny("jpeg", run);
        assertTrue(log.last("loss") < log.first("loss"));
        double input = log.last("val_psnr_input");
        assertTrue(input > 22 && input < 45, "JPEG input PSNR " + input);
        // restore keeps size and mode of a JPEG-damaged photo
        Path damaged = tmp.resolve("damaged.png");
        ImageFiles.writePng(retouch.degrade.JpegCompression.roundTrip(ImageFiles.read(Cli.sample("camera.png")).crop(0, 0, 40, 72), 15), damaged);
        Path out = tmp.resolve("deblocked.png");
        Cli.Result rr = Cli.run("restore", damaged.toString(), "-o", out.toString(), "--model", run.resolve("checkpoint").toString());
        assertEquals(0, rr.code(), rr.err());
        assertEquals(72, ImageFiles.probe(out).width());
        assertEquals(40, ImageFiles.probe(out).height());
        // the model is told the quality: a quality-15 repair differs from a quality-95 one
        assertEquals("jpeg_quality", retouch.nn.store.ModelFile.readMeta(run.resolve("checkpoint")).stringParam("level", ""));
        Path q15 = tmp.resolve("q15.png"), q95 = tmp.resolve("q95.png");
        for (Path[] qo : new Path[][] {{Path.of("15"), q15}, {Path.of("95"), q95}}) {
            Cli.Result rq = Cli.run("restore", damaged.toString(), "-o", qo[1].toString(), "--model", run.resolve("checkpoint").toString(),
                    "--jpeg-quality", qo[0].toString());
            assertEquals(0, rq.code(), rq.err());
        }
        assertTrue(retouch.metrics.Psnr.of(ImageFiles.read(q15), ImageFiles.read(q95)) < 80, "the quality changes the repair");
        // a folder of .jpg photos: the repairs come back as PNG, since JPEG again would bring the artefacts back
        Path jpegs = java.nio.file.Files.createDirectories(tmp.resolve("jpegs"));
        javax.imageio.ImageIO.write(javax.imageio.ImageIO.read(damaged.toFile()), "jpg", jpegs.resolve("photo.jpg").toFile());
        Cli.Result folder = Cli.run("restore", jpegs.toString(), "-o", tmp.resolve("repaired").toString(), "--model", run.resolve("checkpoint").toString());
        assertEquals(0, folder.code(), folder.err());
        assertTrue(java.nio.file.Files.isRegularFile(tmp.resolve("repaired/photo.png")), folder.err());
        assertTrue(folder.err().contains("written as PNG"), folder.err());
        Cli.Result badQuality = Cli.run("restore", damaged.toString(), "-o", q15.toString(), "--model", run.resolve("checkpoint").toString(),
                "--jpeg-quality", "101");
        assertEquals(ExitCodes.USAGE, badQuality.code(), badQuality.err());
        assertTrue(badQuality.err().contains("--jpeg-quality"), badQuality.err());
        Cli.Result wrong = Cli.run("restore", damaged.toString(), "-o", out.toString(), "--model", run.resolve("checkpoint").toString(),
                "--task", "denoise");
        assertEquals(ExitCodes.BAD_INPUT, wrong.code(), wrong.err());
        assertTrue(wrong.err().contains("trained for jpeg"), wrong.err());

        // the repair strength per quality, measured on the held-out crops and stored in model.json
        Cli.Result cal = Cli.run("models", "calibrate-jpeg", run.resolve("checkpoint").toString(), "--data", crops(tmp).toString(),
                "--val-every", "3", "--qualities", "15,60");
        assertEquals(0, cal.code(), cal.err());
        assertTrue(cal.out().contains("stored jpeg_strength = 15:"), cal.out());
        retouch.nn.task.JpegStrength strength = retouch.nn.task.JpegStrength.parse(
                retouch.nn.store.ModelFile.readMeta(run.resolve("checkpoint")).stringParam(retouch.nn.task.JpegStrength.HYPER, ""), "test");
        assertEquals(java.util.Set.of(15, 60), strength.byQuality().keySet());
        Cli.Result after = Cli.run("restore", damaged.toString(), "-o", out.toString(), "--model", run.resolve("checkpoint").toString());
        assertEquals(0, after.code(), after.err());
        // only model.json was rewritten: the checkpoint keeps its optimiser state and the run resumes
        assertTrue(java.nio.file.Files.isRegularFile(run.resolve("checkpoint/trainer.json")));
        Cli.Result resumed = Cli.run("train", "restore", "--task", "jpeg", "--data", crops(tmp).toString(), "--depth", "3", "--width", "16",
                "--patch", "32", "--batch", "4", "--steps", "42", "--lr", "3e-3", "--validate-every", "40", "--val-every", "3",
                "--checkpoint-every", "40", "--quiet", "--out", run.toString());
        assertEquals(0, resumed.code(), resumed.err());
        String trainer = java.nio.file.Files.readString(run.resolve("checkpoint/trainer.json"));
        assertTrue(trainer.matches("(?s).*\"step\"\\s*:\\s*42\\b.*"), trainer);
        Cli.Result badQualities = Cli.run("models", "calibrate-jpeg", run.resolve("checkpoint").toString(), "--data", crops(tmp).toString(),
                "--qualities", "20,101");
        assertEquals(ExitCodes.BAD_INPUT, badQualities.code(), badQualities.err());
        assertTrue(badQualities.err().contains("--qualities"), badQualities.err());
        Cli.Result notJpeg = Cli.run("models", "calibrate-jpeg", "denoise-gray", "--data", crops(tmp).toString(), "--val-every", "3");
        assertEquals(ExitCodes.BAD_INPUT, notJpeg.code(), notJpeg.err());
        assertTrue(notJpeg.err().contains("not a JPEG repair model"), notJpeg.err());
        Cli.Result noData = Cli.run("models", "calibrate-jpeg", run.resolve("checkpoint").toString(), "--data", tmp.resolve("nowhere").toString());
        assertEquals(ExitCodes.BAD_INPUT, noData.code(), noData.err());
    }

    @Test
    void initFromStartsAtAnotherModelsWeights() throws Exception {
        Path a = tmp.resolve("init-a"), b = tmp.resolve("init-b"), c = tmp.resolve("init-c");
        String[] base = {"train", "denoise", "--data", crops(tmp).toString(), "--depth", "3", "--patch", "32",
                "--batch", "4", "--validate-every", "0", "--val-every", "3", "--quiet"};
        String[] common = concat(base, "--width", "16");
        assertEquals(0, Cli.run(concat(common, "--steps", "30", "--lr", "3e-3", "--checkpoint-every", "30", "--out", a.toString())).code());
        // one step at a negligible rate: B keeps A's weights (BatchNorm statistics move a little), C its random start
        Cli.Result rb = Cli.run(concat(common, "--steps", "1", "--lr", "1e-12", "--lr-min", "1e-12", "--out", b.toString(),
                "--init-from", a.resolve("checkpoint").toString()));
        assertEquals(0, rb.code(), rb.err());
        assertEquals(0, Cli.run(concat(common, "--steps", "1", "--lr", "1e-12", "--lr-min", "1e-12", "--out", c.toString())).code());
        assertTrue(Files.readString(b.resolve("checkpoint").resolve("model.json")).contains("\"initialised_from\""));
        Path noisy = tmp.resolve("init-noisy.png");
        ImageFiles.writePng(retouch.degrade.GaussianNoise.addNoise(ImageFiles.read(Cli.sample("camera.png")).crop(50, 50, 64, 64), 25,
                new java.util.SplittableRandom(5)).clip(), noisy);
        Image[] outs = new Image[3];
        Path[] runs = {a, b, c};
        for (int i = 0; i < 3; i++) {
            Path o = tmp.resolve("init-out-" + i + ".png");
            assertEquals(0, Cli.run("restore", noisy.toString(), "-o", o.toString(), "--model", runs[i].resolve("checkpoint").toString(),
                    "--sigma", "25").code());
            outs[i] = ImageFiles.read(o);
        }
        double ab = retouch.metrics.Psnr.of(outs[0], outs[1]), ac = retouch.metrics.Psnr.of(outs[0], outs[2]);
        System.out.printf("init-from: A vs B %.1f dB, A vs fresh C %.1f dB%n", ab, ac);
        assertTrue(ab > 35 && ab > ac + 10, "A vs B " + ab + " dB, A vs fresh C " + ac + " dB");
        // a gray model starts an RGB one of the same depth and width
        Path e = tmp.resolve("init-e");
        Cli.Result re = Cli.run(concat(common, "--channels", "3", "--steps", "1", "--out", e.toString(), "--init-from", a.resolve("checkpoint").toString()));
        assertEquals(0, re.code(), re.err());
        assertTrue(Files.readString(e.resolve("checkpoint").resolve("model.json")).contains("expanded to RGB"));
        // three times as wide, BatchNorm frozen: it starts as the gray network on the opponent colour planes
        Path f = tmp.resolve("init-f");
        Cli.Result rf = Cli.run(concat(base, "--width", "48", "--channels", "3", "--steps", "1", "--lr", "1e-12", "--lr-min", "1e-12",
                "--freeze-batchnorm", "--out", f.toString(), "--init-from", a.resolve("checkpoint").toString()));
        assertEquals(0, rf.code(), rf.err());
        String fMeta = Files.readString(f.resolve("checkpoint").resolve("model.json"));
        assertTrue(fMeta.contains("opponent-colour blocks") && fMeta.contains("\"freeze_batchnorm\" : true"), fMeta);
        Path noisyColour = tmp.resolve("init-noisy-rgb.png");
        ImageFiles.writePng(retouch.degrade.GaussianNoise.addNoise(ImageFiles.read(Cli.sample("chelsea.png")).crop(40, 120, 64, 64), 25,
                new java.util.SplittableRandom(6)).clip(), noisyColour);
        Image[] colourOuts = new Image[2];
        Path[] colourRuns = {a, f};
        for (int i = 0; i < 2; i++) {
            Path o = tmp.resolve("init-rgb-out-" + i + ".png");
            Cli.Result rr = Cli.run("restore", noisyColour.toString(), "-o", o.toString(), "--model", colourRuns[i].resolve("checkpoint").toString(),
                    "--sigma", "25");
            assertEquals(0, rr.code(), rr.err());
            colourOuts[i] = ImageFiles.read(o);
        }
        assertEquals(3, colourOuts[1].channels());
        double same = retouch.metrics.Psnr.of(colourOuts[0].crop(8, 8, 48, 48), colourOuts[1].crop(8, 8, 48, 48));
        assertTrue(same > 40, "wide RGB start vs gray network on opponent planes: " + same + " dB");
        Cli.Result unfrozen = Cli.run(concat(common, "--channels", "3", "--steps", "1", "--freeze-batchnorm", "--out", tmp.resolve("init-g").toString()));
        assertEquals(ExitCodes.BAD_INPUT, unfrozen.code(), unfrozen.err());
        assertTrue(unfrozen.err().contains("--init-from"), unfrozen.err());
        // another network shape is refused before anything is written
        Cli.Result mismatch = Cli.run(concat(base, "--steps", "1", "--width", "8", "--out", tmp.resolve("init-d").toString(),
                "--init-from", a.resolve("checkpoint").toString()));
        assertEquals(ExitCodes.BAD_INPUT, mismatch.code(), mismatch.err());
        assertTrue(mismatch.err().contains("width 8") && mismatch.err().contains("width 16"), mismatch.err());
    }

    @Test
    void deblurTrainsWithValidation() throws Exception {
        Path run = tmp.resolve("deblur");
        Cli.Result r = Cli.run("train", "restore", "--task", "deblur", "--data", crops(tmp).toString(), "--depth", "3", "--width", "16",
                "--patch", "32", "--batch", "4", "--steps", "10", "--validate-every", "10", "--val-every", "3",
                "--checkpoint-every", "10", "--quiet", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        double blurred = TrainRuns.Log.of(run).last("val_psnr_input");
        assertTrue(blurred > 15 && blurred < 40, "blurred input PSNR " + blurred);
        assertTrue(Files.isRegularFile(run.resolve("checkpoint").resolve("model.json")));
    }
}
