package retouch.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import retouch.Json;
import retouch.RetouchException;
import retouch.image.ImageFiles;

/**
 * {@code retouch spark restore}: restores every image under a folder (any Hadoop path) into
 * another, in parallel on a Spark cluster or an embedded local one.
 *
 * <p>The plan: list the files with Spark's {@code binaryFile} source (only their paths are kept,
 * so no image bytes cross the network), spread the paths over partitions of a few images each,
 * and {@code mapPartitions} over them: each executor JVM opens the model once
 * ({@link ExecutorModels}) and its tasks share it; every image is read through the Hadoop file
 * system, restored, written as a PNG (temporary name + rename) and described by one report row.
 * Writing the report (Parquet) is the only action over the restored rows, so each image is
 * restored exactly once; the CSV copy and the summary are read back from that Parquet.
 */
public final class RestoreJob {
    private RestoreJob() {}

    /** What to restore and how; paths are fully qualified Hadoop paths. */
    public record Settings(String input, String output, String references, String report, ModelSpec model,
                           String glob, int imagesPerPartition, long maxBytes, boolean reportSigma) implements Serializable {}

    /** Image files Spark lists by default: Retouch's readable extensions, in lower and upper case. */
    static String defaultGlob() {
        List<String> exts = new ArrayList<>();
        for (String e : ImageFiles.EXTENSIONS) {
            exts.add(e);
            exts.add(e.toUpperCase(Locale.ROOT));
        }
        return "*.{" + String.join(",", exts) + "}";
    }

    /** Qualifies a user's path against the default file system and working folder. */
    static String qualify(String path, Configuration conf) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).makeQualified(p).toString();
        } catch (IOException | IllegalArgumentException e) {
            throw new RetouchException(path + ": not a usable path (" + e.getMessage() + ")");
        }
    }

    /**
     * Lists the images to work on: their paths, sorted. Spark lists them (in parallel for large
     * trees); the list is held on the driver (a million paths take about 200 MB there).
     */
    static List<String> list(SparkSession spark, String input, String glob) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try {
            Path p = new Path(input);
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) throw new RetouchException(input + ": no such folder; give the folder (or bucket path) that holds the images");
            if (fs.getFileStatus(p).isFile()) {
                throw new RetouchException(input + ": is a file; give the folder that holds the images");
            }
        } catch (IOException e) {
            throw new RetouchException(input + ": cannot list it (" + e.getMessage() + "); check the path and its permissions");
        }
        // Spark's file listing (parallel for large trees, any Hadoop file system), but not its scan:
        // a scan drops 0-byte files silently, and an empty file must be a report row like any bad one.
        String[] files = spark.read().format("binaryFile")
                .option("pathGlobFilter", glob)
                .option("recursiveFileLookup", "true")
                .load(input)
                .inputFiles();
        List<String> paths = new ArrayList<>(files.length);
        for (String f : files) {
            try {
                paths.add(new Path(new java.net.URI(f)).toString());
            } catch (java.net.URISyntaxException e) {
                paths.add(f);
            }
        }
        java.util.Collections.sort(paths);
        return paths;
    }

    /** Partitions for {@code n} images: a few images each, and at least a few per task slot. */
    static int partitions(long n, int perPartition, int parallelism) {
        long byImages = (n + perPartition - 1) / perPartition;
        long k = Math.max(byImages, 3L * parallelism);
        return (int) Math.max(1, Math.min(n, Math.min(k, 1_000_000)));
    }

    /** Outputs already in {@code output} (qualified path strings of its PNGs), from one Spark listing. */
    static java.util.Set<String> existingOutputs(SparkSession spark, String output) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try {
            Path p = new Path(output);
            if (!p.getFileSystem(conf).exists(p)) return java.util.Set.of();
        } catch (IOException e) {
            return java.util.Set.of(); // the executors check each output anyway
        }
        java.util.Set<String> set = new java.util.HashSet<>();
        for (String f : list(spark, output, "*.png")) set.add(f);
        return set;
    }

    /** {@code items} reordered so that contiguous slices of it take every {@code parts}-th item. */
    static List<String> roundRobin(List<String> items, int parts) {
        List<String> out = new ArrayList<>(items.size());
        for (int k = 0; k < parts; k++) {
            for (int i = k; i < items.size(); i += parts) out.add(items.get(i));
        }
        return out;
    }

    /** Result of a run: the summary (also written as summary.json) and where the report went. */
    public record Result(Map<String, Object> summary, String reportDir) {
        /** Images whose restoration failed. */
        public long errors() { return ((Number) summary.get("errors")).longValue(); }
        /** Images restored in this run. */
        public long restored() { return ((Number) summary.get("restored")).longValue(); }
        /** Images skipped because their output was there. */
        public long skipped() { return ((Number) summary.get("skipped")).longValue(); }
    }

    /** Runs the job and writes report.parquet, report.csv and summary.json under the report folder. */
    public static Result run(SparkSession spark, Settings s) {
        long t0 = System.nanoTime();
        double startup = (System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<String> files = list(spark, s.input(), s.glob());
        long n = files.size();
        if (n == 0) {
            throw new RetouchException(s.input() + ": no images (" + s.glob() + ") found in it or its subfolders; check the path or --glob");
        }
        HadoopIO io = new HadoopIO(conf, s.maxBytes());
        // Outputs already written are skipped here, from one listing of the output folder, so a
        // re-run sends only the rest to the executors (they check again before writing).
        java.util.Set<String> done = existingOutputs(spark, s.output());
        List<String> todo = new ArrayList<>();
        List<Row> skipped = new ArrayList<>();
        for (String f : files) {
            String out = RestorePartition.outputFor(s, new Path(f)).toString();
            if (done.contains(out)) {
                skipped.add(RestorePartition.skippedRow(s, f, out, "driver"));
            } else {
                todo.add(f);
            }
        }
        int parts = todo.isEmpty() ? 0 : partitions(todo.size(), s.imagesPerPartition(), spark.sparkContext().defaultParallelism());
        Dataset<Row> report = spark.createDataFrame(skipped, Report.RESTORE);
        if (!todo.isEmpty()) {
            // the paths only, dealt round-robin into partitions of a few images (no shuffle needed)
            JavaRDD<Row> restored = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(roundRobin(todo, parts), parts)
                    .mapPartitions(new RestorePartition(s, io));
            report = spark.createDataFrame(restored, Report.RESTORE).union(report);
        }
        String parquet = s.report() + "/report.parquet";
        report.write().mode(SaveMode.Overwrite).parquet(parquet); // the one action over the restored rows
        double seconds = (System.nanoTime() - t0) / 1e9;
        // one pass over the written report (not the restored Dataset): the CSV copy and the summary
        Map<String, Object> summary = csvAndSummary(spark.read().schema(Report.RESTORE).parquet(parquet).coalesce(1), io, s.report());
        summary.put("seconds", Math.round(seconds * 100) / 100.0);
        long restored = ((Number) summary.get("restored")).longValue();
        summary.put("images_per_second", restored == 0 ? 0.0 : Math.round(restored / seconds * 1000) / 1000.0);
        summary.put("partitions", parts);
        summary.put("master", spark.sparkContext().master());
        summary.put("startup_seconds", Math.round(startup * 100) / 100.0); // JVM start to job start: Spark, models shipped
        summary.put("input", s.input());
        summary.put("output", s.output());
        summary.put("report", s.report());
        try {
            io.writeText(new Path(s.report() + "/summary.json"), Json.write(summary) + "\n");
        } catch (IOException e) {
            throw new RetouchException(s.report() + "/summary.json: cannot write it (" + e.getMessage() + ")");
        }
        return new Result(summary, s.report());
    }

    /**
     * Streams the written report through the driver once ({@code toLocalIterator}: a partition at a
     * time, never the whole report in memory), writing report.csv and adding up the summary.
     */
    static Map<String, Object> csvAndSummary(Dataset<Row> report, HadoopIO io, String dir) {
        long[] count = new long[4]; // images, restored, skipped, errors
        double[] sums = new double[3]; // millis of restored images, psnr, ssim
        long[] nq = new long[1];
        long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
        long loads = 0;
        Map<String, Long> perJvm = new java.util.TreeMap<>();
        List<String> errors = new ArrayList<>();
        String[] names = report.columns();
        try {
            io.writeStream(new Path(dir + "/report.csv"), os -> {
                java.io.Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(os, java.nio.charset.StandardCharsets.UTF_8));
                w.write(String.join(",", names));
                w.write("\n");
                Iterator<Row> it = report.toLocalIterator();
                while (it.hasNext()) {
                    Row r = it.next();
                    for (int i = 0; i < names.length; i++) {
                        if (i > 0) w.write(',');
                        if (!r.isNullAt(i)) w.write(csv(String.valueOf(r.get(i))));
                    }
                    w.write('\n');
                    String status = r.getAs("status");
                    count[0]++;
                    if (Report.OK.equals(status)) {
                        count[1]++;
                        sums[0] += r.<Long>getAs("millis");
                        if (r.getAs("psnr") != null) {
                            sums[1] += r.<Double>getAs("psnr");
                            sums[2] += r.<Double>getAs("ssim");
                            nq[0]++;
                        }
                    } else if (Report.SKIPPED.equals(status)) {
                        count[2]++;
                    } else {
                        count[3]++;
                        if (errors.size() < 20) errors.add(r.getAs("error"));
                    }
                    if (r.getAs("started") != null) {
                        span[0] = Math.min(span[0], r.<Long>getAs("started"));
                        span[1] = Math.max(span[1], r.<Long>getAs("finished"));
                    }
                    if (!Report.SKIPPED.equals(status)) {
                        boolean loaded = Boolean.TRUE.equals(r.getAs("model_loaded"));
                        perJvm.merge(r.getAs("jvm"), loaded ? 1L : 0L, Long::sum);
                    }
                }
                w.flush();
            });
        } catch (IOException e) {
            throw new RetouchException(dir + "/report.csv: cannot write it (" + e.getMessage() + ")");
        }
        for (long v : perJvm.values()) loads += v;
        java.util.Collections.sort(errors);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", count[0]);
        m.put("restored", count[1]);
        m.put("skipped", count[2]);
        m.put("errors", count[3]);
        m.put("mean_millis_per_image", count[1] == 0 ? null : Math.round(sums[0] / count[1] * 10) / 10.0);
        // from the first image taken up to the last one done: the restoring itself, without Spark's start-up and listing
        m.put("restore_seconds", span[1] < span[0] ? 0.0 : (span[1] - span[0]) / 1000.0);
        if (nq[0] > 0) {
            m.put("mean_psnr", Math.round(sums[1] / nq[0] * 10000) / 10000.0);
            m.put("mean_ssim", Math.round(sums[2] / nq[0] * 1000000) / 1000000.0);
        }
        // one load per model and executor JVM that restored anything; none on a re-run that skipped all
        m.put("model_loads", loads);
        m.put("executor_jvms", (long) perJvm.size());
        m.put("model_loads_per_jvm", perJvm);
        m.put("first_errors", errors);
        return m;
    }

    private static String csv(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    /** The report as one CSV file (report.csv), for people and spreadsheets. */
    static void writeCsv(SparkSession spark, Dataset<Row> report, String dir, Configuration conf) {
        String tmp = dir + "/.report-csv";
        report.coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true").csv(tmp);
        try {
            Path tmpPath = new Path(tmp);
            FileSystem fs = tmpPath.getFileSystem(conf);
            Path part = null;
            for (var st : fs.listStatus(tmpPath)) {
                if (st.getPath().getName().startsWith("part-") && st.getPath().getName().endsWith(".csv")) part = st.getPath();
            }
            Path target = new Path(dir + "/report.csv");
            fs.delete(target, false);
            fs.delete(new Path(dir + "/.report.csv.crc"), false);
            if (part != null && !fs.rename(part, target)) throw new IOException("cannot rename " + part);
            fs.delete(tmpPath, true);
        } catch (IOException e) {
            throw new RetouchException(dir + "/report.csv: cannot write it (" + e.getMessage() + ")");
        }
    }

    static String tempDir() {
        try {
            return Files.createTempDirectory("retouch-spark-").toString();
        } catch (IOException e) {
            throw new RetouchException("cannot create a temporary folder (" + e.getMessage() + "); check java.io.tmpdir");
        }
    }
}
