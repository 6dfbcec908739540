package retouch.nn.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import retouch.RetouchException;
import retouch.data.ImageFolder;
import retouch.degrade.JpegCompression;
import retouch.image.Image;
import retouch.nn.task.JpegStrength;
import retouch.nn.task.JpegTask;
import retouch.restore.RestoreParams;

/**
 * Measures a JPEG model's {@link JpegStrength} on held-out photos: at each quality the photos go
 * through a JPEG round trip and the model's whole repair (quality read from the pixels, as users
 * run it), and the strength is the least-squares weight {@code s} of {@code jpeg + s·(repair − jpeg)}
 * against the originals, pooled over the photos and clamped to [0, 1]. The pooled error of the
 * blend is then never above that of the JPEG or of the whole repair: where a model cannot help
 * (near-lossless photos), the strength goes to 0 and the photo comes back as it was.
 */
public final class JpegStrengthCalibration {

    /** Qualities measured by default: the literature's 10–40, and dense steps where repairs turn to harm. */
    public static final int[] QUALITIES = {10, 20, 30, 40, 50, 60, 70, 80, 85, 88, 90, 91, 92, 93, 94, 95, 96};

    /** One quality's figures: mean PSNR of the JPEGs, of the whole repairs and of the blends, and the strength (NaN where the model changed nothing, so none is stored). */
    public record Row(int quality, double jpegPsnr, double repairPsnr, double strength, double blendPsnr) {}

    /** The table to store, and the figures behind it. */
    public record Result(JpegStrength strength, List<Row> rows, int photos) {}

    private JpegStrengthCalibration() {}

    /**
     * The validation photos of a training folder: the ones training holds out (every {@code valEvery}-th),
     * with {@code channels} channels.
     */
    public static List<Image> validationPhotos(ImageFolder folder, int channels, int valEvery) {
        if (valEvery < 1) throw new RetouchException("--val-every must be at least 1, got " + valEvery);
        List<Image> photos = new ArrayList<>();
        // only the held-out photos are decoded, as training holds them out
        for (int i = 0; i < folder.size(); i++) {
            if (TrainingSetup.heldOut(i, valEvery)) photos.add(folder.read(i).withChannels(channels));
        }
        if (photos.isEmpty()) {
            throw new RetouchException(folder.root() + ": no held-out photo (every " + valEvery + "-th of " + folder.size()
                    + "); pass a smaller --val-every or a larger folder");
        }
        return photos;
    }

    /**
     * @throws RetouchException unless every quality is in 1–100 (before any work is done)
     */
    public static void checkQualities(int[] qualities) {
        if (qualities.length == 0) throw new RetouchException("--qualities: give at least one JPEG quality");
        for (int q : qualities) {
            if (q < 1 || q > 100) throw new RetouchException("--qualities: JPEG quality " + q + " is outside 1..100");
        }
    }

    /**
     * Calibrates {@code restorer} (a JPEG model) on {@code photos} at {@code qualities}; {@code progress}
     * hears of each photo done.
     */
    public static Result calibrate(Restorer restorer, List<Image> photos, int[] qualities, IntConsumer progress) {
        if (!(restorer instanceof NetworkRestorer net) || !JpegTask.TASK.id().equals(restorer.task())) {
            throw new RetouchException("model " + restorer.name() + " is not a JPEG repair model (task " + restorer.task()
                    + "); calibrate-jpeg weighs models trained with 'retouch train restore --task jpeg'");
        }
        checkQualities(qualities);
        if (photos.isEmpty()) throw new RetouchException("no photos to calibrate on");
        java.util.TreeMap<Integer, Double> table = new java.util.TreeMap<>();
        List<Row> rows = new ArrayList<>();
        int done = 0, n = photos.size();
        for (int q : qualities) {
            // per photo: |c - j|^2, <r - j, c - j>, |r - j|^2 and the sample count; the blend's error
            // at strength s is |c - j|^2 - 2 s <r - j, c - j> + s^2 |r - j|^2, so no image is kept
            double[] off = new double[n], along = new double[n], length = new double[n], count = new double[n];
            for (int k = 0; k < n; k++) {
                Image clean = photos.get(k);
                Image jpeg = JpegCompression.roundTrip(clean, q);
                Image repair = net.repairJpegAtFullStrength(jpeg, RestoreParams.defaults()).image();
                float[] c = clean.data(), j = jpeg.data(), r = repair.data();
                for (int i = 0; i < c.length; i++) {
                    double step = r[i] - j[i], miss = c[i] - j[i];
                    off[k] += miss * miss;
                    along[k] += step * miss;
                    length[k] += step * step;
                }
                count[k] = c.length;
                progress.accept(++done);
            }
            double a = java.util.Arrays.stream(along).sum(), l = java.util.Arrays.stream(length).sum();
            // no change at all (no lattice seen, photos returned as they are): nothing to weigh, so the
            // quality is left out and a caller who names it gets the nearest measured strength
            double s = l == 0 ? 1 : Math.round(Math.max(0, Math.min(1, a / l)) * 1000) / 1000.0;
            if (l > 0) table.put(q, s);
            double jp = 0, rp = 0, bp = 0;
            for (int k = 0; k < n; k++) {
                jp += psnr(off[k], count[k]);
                rp += psnr(off[k] - 2 * along[k] + length[k], count[k]);
                bp += psnr(off[k] - 2 * s * along[k] + s * s * length[k], count[k]);
            }
            rows.add(new Row(q, jp / n, rp / n, l > 0 ? s : Double.NaN, bp / n));
        }
        if (table.isEmpty()) {
            throw new RetouchException("the model changed no photo at qualities " + java.util.Arrays.toString(qualities)
                    + ", so there is nothing to weigh; calibrate at lower qualities");
        }
        return new Result(new JpegStrength(table), rows, n);
    }

    /** PSNR (peak 1) of a summed squared error over {@code count} samples. */
    private static double psnr(double sse, double count) {
        return 10 * Math.log10(count / Math.max(sse, 1e-30));
    }
}
