package retouch.spark;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import retouch.RetouchException;
import retouch.degrade.NoiseEstimator;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;
import retouch.metrics.Ssim;

/**
 * Restores the images of one partition: paths in, report rows out, one at a time (a partition
 * is never held in memory). The model comes from {@link ExecutorModels}, so it is loaded once per
 * executor JVM, on the first image that needs it: a re-run that finds every output written loads
 * nothing. A failure with one image (corrupt, empty, too large, out of memory) is that image's
 * report row, never a failed task.
 */
final class RestorePartition implements FlatMapFunction<Iterator<String>, Row>, Serializable {
    private final RestoreJob.Settings settings;
    private final HadoopIO io;

    RestorePartition(RestoreJob.Settings settings, HadoopIO io) {
        this.settings = settings;
        this.io = io;
    }

    @Override
    public Iterator<Row> call(Iterator<String> paths) {
        TaskContext tc = TaskContext.get();
        String attempt = tc == null ? "local" : tc.stageId() + "-" + tc.partitionId() + "-" + tc.taskAttemptId();
        String executor = Report.executorId();
        return new Iterator<>() {
            @Override public boolean hasNext() { return paths.hasNext(); }
            @Override public Row next() { return restore(paths.next(), attempt, executor); }
        };
    }

    /** Path of {@code file} below {@code root} ("a/b.png"), or its name when it is not below it. */
    static String relative(Path root, Path file) {
        String r = root.toUri().getPath();
        String f = file.toUri().getPath();
        if (!r.endsWith("/")) r = r + "/";
        return f.startsWith(r) ? f.substring(r.length()) : file.getName();
    }

    static String stem(String rel) {
        int slash = rel.lastIndexOf('/');
        int dot = rel.lastIndexOf('.');
        return dot > slash + 1 ? rel.substring(0, dot) : rel;
    }

    /** Where the restored {@code in} goes: the same path below the output folder, as a PNG. */
    static Path outputFor(RestoreJob.Settings s, Path in) {
        return new Path(s.output() + "/" + stem(relative(new Path(s.input()), in)) + ".png");
    }

    /** The row of an image whose output is already there. */
    static Row skippedRow(RestoreJob.Settings s, String in, String out, String executor) {
        return RowFactory.create(in, out, s.model().task(), s.model().label(), null, null, null, null, null, 0L, Report.SKIPPED, null,
                null, null, executor, Report.JVM, false, 0L, null, null);
    }

    private Row restore(String pathString, String attempt, String executor) {
        long t0 = System.nanoTime();
        long started = System.currentTimeMillis();
        Path in = new Path(pathString);
        String rel = relative(new Path(settings.input()), in);
        Path out = outputFor(settings, in);
        Integer w = null, h = null, c = null;
        Double sigma = null, psnr = null, ssim = null;
        String blur = null, model = settings.model().label();
        boolean loaded = false;
        long loadMs = 0;
        try {
            if (io.exists(out)) {
                return row(in, out, model, null, null, null, null, null, t0, started, Report.SKIPPED, null, null, null, executor, false, 0);
            }
            HadoopIO.Read read = io.read(in);
            Image im = read.image();
            w = im.width();
            h = im.height();
            c = im.channels();
            ExecutorModels.Handle handle = ExecutorModels.get(settings.model());
            loaded = handle.loadedNow();
            loadMs = handle.loadMillis();
            var r = handle.model();
            model = r.nameFor(im);
            Image restored;
            if (r.task().equals("deblur") && !r.meta().architecture().equals("torchscript")) {
                var d = r.deblurBlind(im, settings.model().sigma());
                restored = d.image();
                blur = d.estimate() == null ? d.how() : d.estimate().toString();
            } else {
                if (r.task().equals("denoise")) {
                    double s = settings.model().sigma();
                    sigma = !Double.isNaN(s) ? s : settings.reportSigma() && w > 7 && h > 7 ? NoiseEstimator.estimate(im) : null;
                }
                restored = r.restore(im);
            }
            Image written = read.bitDepth() == 16 ? restored.clip() : restored.clip().quantize8();
            if (settings.references() != null) {
                Image clean = reference(rel);
                if (clean.channels() != written.channels()) clean = written.channels() == 1 ? clean.toGray() : clean.withChannels(written.channels());
                if (clean.width() != written.width() || clean.height() != written.height()) {
                    throw new RetouchException(in + ": its reference is " + clean.width() + "x" + clean.height() + ", the output "
                            + written.width() + "x" + written.height() + "; give references of the same size");
                }
                psnr = Psnr.of(clean, written);
                ssim = Ssim.of(clean, written);
            }
            io.writePng(restored, read.bitDepth(), out, attempt);
            return row(in, out, model, w, h, c, sigma, blur, t0, started, Report.OK, null, psnr, ssim, executor, loaded, loadMs);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            return row(in, null, model, w, h, c, sigma, blur, t0, started, Report.ERROR, Report.describe(e), null, null, executor, loaded, loadMs);
        }
    }

    /** The clean reference of {@code rel}: the same relative path, or the same stem with any image extension. */
    private Image reference(String rel) throws java.io.IOException {
        Path root = new Path(settings.references());
        Path same = new Path(root + "/" + rel);
        if (io.exists(same)) return io.read(same).image();
        for (String ext : ImageFiles.EXTENSIONS) {
            for (String e : new String[] {ext, ext.toUpperCase(java.util.Locale.ROOT)}) {
                Path p = new Path(root + "/" + stem(rel) + "." + e);
                if (io.exists(p)) return io.read(p).image();
            }
        }
        throw new RetouchException(rel + ": no clean reference " + stem(rel) + ".* in " + root + "; give --references the folder of the clean images");
    }

    private Row row(Path in, Path out, String model, Integer w, Integer h, Integer c, Double sigma, String blur, long t0, long started, String status,
                    String error, Double psnr, Double ssim, String executor, boolean loaded, long loadMs) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return RowFactory.create(in.toString(), out == null ? null : out.toString(), settings.model().task(), model, w, h, c,
                sigma == null ? null : Math.round(sigma * 100) / 100.0, blur, ms, status, error, psnr, ssim, executor, Report.JVM, loaded, loadMs,
                started, System.currentTimeMillis());
    }
}
