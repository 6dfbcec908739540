package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.image.Image;
import retouch.image.ImageFiles;

/** Generators from the command line: starting from a picture (GAN projection), and GAN training on a photo folder with augmentation. */
class GeneratorCommandsTest {
    @TempDir Path tmp;

    @Test
    void ganReconstructsInterpolatesAndDrawsMoreLikeAPicture() throws Exception {
        Path samples = tmp.resolve("samples");
        assertEquals(0, Cli.run("generate", "--model", "gan-mnist", "-n", "2", "--seed", "4", "--out-dir", samples.toString()).code());
        Path a = samples.resolve("sample-00000.png"), b = samples.resolve("sample-00001.png");

        Path rec = tmp.resolve("rec.png");
        Cli.Result r = Cli.run("reconstruct", a.toString(), "--model", "gan-mnist", "-o", rec.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("PSNR vs input") && r.out().contains("SSIM"), r.out());
        double psnr = Double.parseDouble(r.out().replaceAll("(?s).*PSNR vs input ([0-9.]+) dB.*", "$1"));
        assertTrue(psnr > 20, "a GAN's own sample projects back closely: " + psnr + " dB");
        assertEquals(28, ImageFiles.read(rec).width());

        Path strip = tmp.resolve("strip.png");
        r = Cli.run("interpolate", a.toString(), b.toString(), "--model", "gan-mnist", "--steps", "4", "-o", strip.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("6 images"), "two pictures and four steps: " + r.out());

        Path like = tmp.resolve("like");
        r = Cli.run("generate", "--model", "gan-mnist", "--like", a.toString(), "-n", "3", "--spread", "0.5", "--out-dir", like.toString());
        assertEquals(0, r.code(), r.err());
        try (Stream<Path> files = Files.list(like)) {
            assertEquals(3, files.count());
        }
        Image first = ImageFiles.read(like.resolve("sample-00000.png")), second = ImageFiles.read(like.resolve("sample-00001.png"));
        assertNotEquals(first.data()[14 * 28 + 14] + first.data()[10 * 28 + 14], second.data()[14 * 28 + 14] + second.data()[10 * 28 + 14],
                "spread 0.5 varies the images");

        r = Cli.run("generate", "--model", "gan-mnist", "--like", a.toString(), "-n", "2", "--spread", "5", "-o", tmp.resolve("x.png").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("--spread"), r.err());
    }

    @Test
    void evalGenReportsLabelAccuracyNextToTheEvaluatorsOwnOnRealImages() throws Exception {
        Cli.Result r = Cli.run("eval-gen", "--model", "cgan-mnist", "-n", "100", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("evaluator-mnist", j.get("evaluator").asText());
        assertTrue(j.get("label_accuracy").asDouble() >= 0.9, "cgan-mnist draws the asked digit: " + j.get("label_accuracy"));
        JsonNode real = j.get("evaluator_accuracy_on_real_test_per_class");
        assertEquals(10, real.size(), r.out());
        real.forEach(a -> assertTrue(a.asDouble() > 0.9 && a.asDouble() <= 1.0, "evaluator-mnist on real digits: " + a));
        assertTrue(j.get("fd").asDouble() > j.get("fd_real_floor").asDouble(), r.out());
    }

    @Test
    void trainsAGanOnAPhotoFolderWithAugmentation() throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 24; i++) {
            // Non-square photos of different sizes: the trainer crops and resizes them.
            int h = 40 + rnd.nextInt(20), w = 50 + rnd.nextInt(30);
            float[] px = new float[3 * h * w];
            for (int k = 0; k < px.length; k++) px[k] = (float) rnd.nextDouble();
            ImageFiles.writePng(new Image(3, h, w, px), photos.resolve(String.format("p%02d.png", i)));
        }
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.run("train", "gan", "--data", photos.toString(), "--size", "32", "--channels", "3", "--limit", "20",
                "--g-width", "8", "--d-width", "8", "--batch", "4", "--steps", "3", "--augment", "color,translation,cutout",
                "--checkpoint-every", "3", "--eval-every", "3", "--quiet", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("20 training images, centre-cropped to a square and resized to 32px"), r.err());
        JsonNode meta = new ObjectMapper().readTree(run.resolve("checkpoint").resolve("model.json").toFile());
        assertEquals("color,translation,cutout", meta.get("hyper_parameters").get("augment").asText());
        assertEquals(3, meta.get("input_channels").asInt());

        r = Cli.run("train", "gan", "--data", photos.toString(), "--augment", "flip", "--steps", "1", "--quiet", "--out", tmp.resolve("bad").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("unknown augmentation 'flip'"), r.err());

        // Adaptive probability: logged per step, kept in the checkpoint, resumed from it.
        Path ada = tmp.resolve("ada");
        String[] adaArgs = {"train", "gan", "--data", photos.toString(), "--size", "32", "--g-width", "8", "--d-width", "8", "--batch", "4",
                "--steps", "8", "--augment", "translation,cutout", "--augment-p", "adaptive", "--checkpoint-every", "8", "--eval-every", "8",
                "--quiet", "--out", ada.toString()};
        r = Cli.run(adaArgs);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("probability adapted"), r.err());
        List<String> csv = Files.readAllLines(ada.resolve("train.csv"));
        assertTrue(csv.get(0).contains("aug_p"), csv.get(0));
        assertEquals("adaptive", new ObjectMapper().readTree(ada.resolve("checkpoint").resolve("model.json").toFile())
                .get("hyper_parameters").get("augment_p").asText());
        try (Stream<Path> files = Files.walk(ada.resolve("checkpoint"))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("adaptive-augment.txt")), "the probability is checkpointed");
        }
        adaArgs[java.util.Arrays.asList(adaArgs).indexOf("--steps") + 1] = "12";
        r = Cli.run(adaArgs);
        assertEquals(0, r.code(), r.err());
        csv = Files.readAllLines(ada.resolve("train.csv"));
        assertTrue(csv.get(csv.size() - 1).startsWith("12,"), "continued to step 12: " + csv.get(csv.size() - 1));
        r = Cli.run("train", "gan", "--data", photos.toString(), "--augment-p", "0.5", "--steps", "1", "--quiet", "--out", tmp.resolve("bad2").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("--augment-p needs transforms"), r.err());
        r = Cli.run("train", "gan", "--data", photos.toString(), "--size", "16", "--steps", "1", "--quiet", "--out", tmp.resolve("bad3").toString());
        assertNotEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("--size must be 28, 32 or 64"), r.err());
    }

    @Test
    void generateSamplesAtTheModelsOwnTemperatureUnlessAsked() throws Exception {
        // gan-faces records the latent scale at which its samples are as varied as real faces.
        double t = retouch.nn.store.ModelFile.readMeta(retouch.nn.store.ModelStore.resolve("gan-faces")).doubleParam("sample_temperature", 1.0);
        assertTrue(t > 1 && t <= 2, "gan-faces' sample_temperature: " + t);
        Path byDefault = tmp.resolve("default"), asked = tmp.resolve("asked"), atOne = tmp.resolve("one");
        assertEquals(0, Cli.run("generate", "--model", "gan-faces", "-n", "2", "--seed", "3", "--out-dir", byDefault.toString()).code());
        assertEquals(0, Cli.run("generate", "--model", "gan-faces", "-n", "2", "--seed", "3", "-t", Double.toString(t), "--out-dir", asked.toString()).code());
        assertEquals(0, Cli.run("generate", "--model", "gan-faces", "-n", "2", "--seed", "3", "-t", "1", "--out-dir", atOne.toString()).code());
        float[] d = ImageFiles.read(byDefault.resolve("sample-00001.png")).data();
        assertTrue(java.util.Arrays.equals(d, ImageFiles.read(asked.resolve("sample-00001.png")).data()), "no -t: the model's own temperature");
        assertTrue(!java.util.Arrays.equals(d, ImageFiles.read(atOne.resolve("sample-00001.png")).data()), "-t 1 is another latent scale");
    }
}
