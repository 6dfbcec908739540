package retouch.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
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
     * Lists the images to work on: a Dataset of their paths (one string column, "path"), sorted.
     * The paths are listed on the driver (a million paths take about 200 MB there).
     */
    static Dataset<Row> list(SparkSession spark, String input, String glob) {
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
        return spark.createDataset(paths, Encoders.STRING()).toDF("path");
    }

    /** Partitions for {@code n} images: a few images each, and at least a few per task slot. */
    static int partitions(long n, int perPartition, int parallelism) {
        long byImages = (n + perPartition - 1) / perPartition;
        long k = Math.max(byImages, 3L * parallelism);
        return (int) Math.max(1, Math.min(n, Math.min(k, 1_000_000)));
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
        Dataset<Row> paths = list(spark, s.input(), s.glob());
        long n = paths.count();
        if (n == 0) {
            throw new RetouchException(s.input() + ": no images (" + s.glob() + ") found in it or its subfolders; check the path or --glob");
        }
        int parts = partitions(n, s.imagesPerPartition(), spark.sparkContext().defaultParallelism());
        HadoopIO io = new HadoopIO(conf, s.maxBytes());
        Dataset<Row> report = paths.repartition(parts)
                .mapPartitions(new RestorePartition(s, io), Encoders.row(Report.RESTORE));
        String parquet = s.report() + "/report.parquet";
        report.write().mode(SaveMode.Overwrite).parquet(parquet); // the one action over the restored rows
        double seconds = (System.nanoTime() - t0) / 1e9;
        Dataset<Row> written = spark.read().parquet(parquet);
        writeCsv(spark, written, s.report(), conf);
        Map<String, Object> summary = summarize(written, n, parts, seconds, spark);
        summary.put("startup_seconds", Math.round(startup * 100) / 100.0); // JVM start to job start: Spark, engine, models shipped
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

    /** The report as one CSV file (report.csv), for people and spreadsheets. */
    static void writeCsv(SparkSession spark, Dataset<Row> report, String dir, Configuration conf) {
        String tmp = dir + "/.report-csv";
        report.orderBy("input").coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true").csv(tmp);
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

    /** Counts, timings, quality and model loads, computed by Spark from the written report. */
    static Map<String, Object> summarize(Dataset<Row> r, long n, int parts, double seconds, SparkSession spark) {
        Row agg = r.agg(
                functions.count(functions.lit(1)),
                functions.sum(functions.when(functions.col("status").equalTo(Report.OK), 1).otherwise(0)),
                functions.sum(functions.when(functions.col("status").equalTo(Report.SKIPPED), 1).otherwise(0)),
                functions.sum(functions.when(functions.col("status").equalTo(Report.ERROR), 1).otherwise(0)),
                functions.avg(functions.when(functions.col("status").equalTo(Report.OK), functions.col("millis"))),
                functions.avg("psnr"), functions.avg("ssim"),
                functions.sum(functions.when(functions.col("model_loaded"), 1).otherwise(0)),
                functions.countDistinct(functions.col("jvm")),
                functions.sum(functions.when(functions.col("status").equalTo(Report.OK), functions.col("width").cast("long").multiply(functions.col("height"))))
        ).first();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", agg.getLong(0));
        m.put("restored", agg.getLong(1));
        m.put("skipped", agg.getLong(2));
        m.put("errors", agg.getLong(3));
        m.put("seconds", Math.round(seconds * 100) / 100.0);
        m.put("images_per_second", agg.getLong(1) == 0 ? 0.0 : Math.round(agg.getLong(1) / seconds * 1000) / 1000.0);
        m.put("mean_millis_per_image", agg.isNullAt(4) ? null : Math.round(agg.getDouble(4) * 10) / 10.0);
        if (!agg.isNullAt(5)) {
            m.put("mean_psnr", Math.round(agg.getDouble(5) * 10000) / 10000.0);
            m.put("mean_ssim", Math.round(agg.getDouble(6) * 1000000) / 1000000.0);
        }
        m.put("partitions", parts);
        m.put("master", spark.sparkContext().master());
        m.put("model_loads", agg.getLong(7));
        m.put("executor_jvms", agg.getLong(8));
        // loads per JVM: one per model and JVM that restored anything, none on a re-run that skipped all
        Map<String, Long> perJvm = new LinkedHashMap<>();
        for (Row x : r.filter(functions.col("status").notEqual(Report.SKIPPED)).groupBy("jvm")
                .agg(functions.sum(functions.when(functions.col("model_loaded"), 1).otherwise(0))).collectAsList()) {
            perJvm.put(x.getString(0), x.getLong(1));
        }
        m.put("model_loads_per_jvm", perJvm);
        List<String> errors = new ArrayList<>();
        for (Row x : r.filter(functions.col("status").equalTo(Report.ERROR)).orderBy("input").select("error").limit(20).collectAsList()) {
            errors.add(x.getString(0));
        }
        m.put("first_errors", errors);
        return m;
    }

    static String tempDir() {
        try {
            return Files.createTempDirectory("retouch-spark-").toString();
        } catch (IOException e) {
            throw new RetouchException("cannot create a temporary folder (" + e.getMessage() + "); check java.io.tmpdir");
        }
    }
}
