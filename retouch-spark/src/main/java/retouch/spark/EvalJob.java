package retouch.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import retouch.Json;
import retouch.RetouchException;
import retouch.baseline.ClassicalMethods;
import retouch.degrade.Degradation;
import retouch.degrade.DegradationSpec;
import retouch.degrade.Masks;
import retouch.image.Image;
import retouch.nn.eval.RestorationEvaluation;
import retouch.nn.restore.ClassicalRestorer;
import retouch.nn.store.ModelStore;

/**
 * {@code retouch spark eval}: {@code retouch eval} over a collection. Each clean image is degraded
 * with the seed {@code retouch eval} gives it (its index in path order), restored by each method
 * and scored; the per-image rows and the means are the same as {@code retouch eval}'s.
 */
final class EvalJob {
    private EvalJob() {}

    record Settings(String root, List<String> degradations, List<String> methods, List<ModelSpec> models, boolean blind,
                    boolean gray, boolean quantize, long seed, long maxBytes) implements Serializable {}

    static int main(SparkMain.Args a, PrintStream out) {
        a.allow("set", "task", "degrade", "sigma", "methods", "blind", "gray", "quantize", "seed", "limit", "tile", "master",
                "report", "json", "glob", "images-per-partition", "max-bytes", "quality", "refine");
        String set = a.required("set");
        List<String> degradations = degradations(a.get("task", null), a.get("degrade", null), a.get("sigma", null));
        String task = a.get("task", "denoise").toLowerCase(Locale.ROOT);
        String defModel = ModelStore.DEFAULT_FOR_TASK.getOrDefault(task, ModelStore.DEFAULT_FOR_TASK.get("denoise"));
        List<String> methods = List.of(a.get("methods", "noisy," + defModel).split(","));
        int tile = a.intValue("tile", retouch.api.Retouch.Options.DEFAULT_TILE, 32);
        String quality = a.get("quality", null);
        String refine = a.get("refine", null);
        long seed = a.longValue("seed", 0, Long.MIN_VALUE);
        int limit = a.intValue("limit", 0, 0);
        int perPartition = a.intValue("images-per-partition", 4, 1);
        long maxBytes = a.longValue("max-bytes", 512L << 20, 1);
        a.checkNoneLeft();
        SparkSession spark = SparkMain.session(a.get("master", null), "retouch spark eval");
        try {
            Configuration conf = spark.sparkContext().hadoopConfiguration();
            String root = RestoreJob.qualify(set, conf);
            String report = a.has("report") ? RestoreJob.qualify(a.get("report", null), conf) : null;
            if (report == null) throw new SparkMain.UsageException("--report DIR is required: where report.parquet, report.csv and summary.json go");
            java.nio.file.Path tmp = java.nio.file.Path.of(RestoreJob.tempDir());
            List<ModelSpec> models = new ArrayList<>();
            for (String m : methods) {
                String l = m.trim().toLowerCase(Locale.ROOT);
                if (isInput(l) || ClassicalMethods.NAMES.contains(l)) {
                    models.add(null);
                } else {
                    models.add(ModelSpec.ship(spark.sparkContext(), m.trim(), null, Double.NaN, tile, quality, refine, tmp));
                }
            }
            // the same order as 'retouch eval' (ImageFolder: by relative path), so each image gets the same seed
            List<String> paths = new ArrayList<>();
            paths.addAll(RestoreJob.list(spark, root, a.get("glob", RestoreJob.defaultGlob())));
            Path rootPath = new Path(root);
            paths.sort(java.util.Comparator.comparing(p -> RestorePartition.relative(rootPath, new Path(p))));
            if (paths.isEmpty()) throw new RetouchException(set + ": no images found in it or its subfolders; check the path");
            if (limit > 0 && paths.size() > limit) paths = paths.subList(0, limit);
            List<Row> indexed = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) indexed.add(RowFactory.create(i, paths.get(i)));
            StructType schema = new StructType().add("index", DataTypes.IntegerType).add("path", DataTypes.StringType);
            Settings s = new Settings(root, degradations, methods, models, a.flag("blind"), a.flag("gray"), a.flag("quantize"), seed, maxBytes);
            int parts = RestoreJob.partitions(paths.size(), perPartition, spark.sparkContext().defaultParallelism());
            long t0 = System.nanoTime();
            Dataset<Row> rows = spark.createDataFrame(indexed, schema).repartition(parts)
                    .flatMap(new EvalImage(s, new HadoopIO(conf, maxBytes)), Encoders.row(Report.EVAL));
            String parquet = report + "/report.parquet";
            rows.write().mode(SaveMode.Overwrite).parquet(parquet); // the one action over the scored rows
            double seconds = (System.nanoTime() - t0) / 1e9;
            Dataset<Row> written = spark.read().parquet(parquet);
            RestoreJob.writeCsv(spark, written.orderBy("degrade", "method", "index"), report, conf);
            Map<String, Object> summary = summarize(written, root, paths.size(), seconds, degradations, methods);
            new HadoopIO(conf, maxBytes).writeText(new Path(report + "/summary.json"), Json.write(summary) + "\n");
            SparkMain.deleteTree(tmp);
            if (a.flag("json")) {
                out.println(Json.write(summary));
            } else {
                print(summary, out);
            }
            return SparkMain.OK;
        } catch (IOException e) {
            throw new RetouchException("cannot write the report (" + e.getMessage() + ")");
        } finally {
            spark.stop();
        }
    }

    static boolean isInput(String m) {
        return RestorationEvaluation.isInput(m);
    }

    /** As 'retouch eval': --degrade SPEC, or the task's degradations. */
    static List<String> degradations(String task, String degrade, String sigmas) {
        if (degrade != null && task != null) throw new SparkMain.UsageException("give either --degrade or --task, not both");
        List<String> list = new ArrayList<>();
        if (degrade != null) {
            list.add(degrade);
        } else if (task != null) {
            // the task registry says what each task is scored on, as for 'retouch eval'
            List<Double> levels = null;
            if (sigmas != null) {
                levels = new ArrayList<>();
                for (String s : sigmas.split(",")) {
                    try {
                        levels.add(Double.parseDouble(s.trim()));
                    } catch (NumberFormatException e) {
                        throw new SparkMain.UsageException("--sigma takes numbers, e.g. 15,25,50, not '" + s.trim() + "'");
                    }
                }
            }
            try {
                for (Degradation d : RestorationEvaluation.degradationsFor(task, levels)) list.add(d.spec());
            } catch (RetouchException e) {
                throw new SparkMain.UsageException(e.getMessage());
            }
        } else {
            throw new SparkMain.UsageException("say how to degrade the clean images: --degrade SPEC or --task denoise --sigma 25");
        }
        for (String d : list) {
            try {
                DegradationSpec.parse(d);
            } catch (RuntimeException e) {
                throw new SparkMain.UsageException("degradation '" + d + "': " + e.getMessage());
            }
        }
        return list;
    }

    /** Scores one clean image: every degradation × method. */
    static final class EvalImage implements FlatMapFunction<Row, Row> {
        private final Settings s;
        private final HadoopIO io;

        EvalImage(Settings s, HadoopIO io) {
            this.s = s;
            this.io = io;
        }

        @Override
        public Iterator<Row> call(Row in) {
            int index = in.getInt(0);
            Path path = new Path(in.getString(1));
            String name = RestorePartition.relative(new Path(s.root()), path);
            String executor = Report.executorId();
            List<Row> rows = new ArrayList<>();
            Image clean;
            try {
                clean = io.read(path).image();
                if (s.gray()) clean = clean.toGray();
            } catch (Exception | OutOfMemoryError e) {
                for (String d : s.degradations()) {
                    for (String m : s.methods()) rows.add(RowFactory.create(name, index, d, m.trim(), null, null, 0L, Report.ERROR, Report.describe(e), executor, Report.JVM, false));
                }
                return rows.iterator();
            }
            for (String spec : s.degradations()) {
                Degradation deg = DegradationSpec.parse(spec);
                // clean is already gray where the protocol says so
                RestorationEvaluation.Case c = RestorationEvaluation.degrade(clean, deg, index,
                        new RestorationEvaluation.Protocol(s.seed(), false, s.quantize(), s.blind()));
                for (int mi = 0; mi < s.methods().size(); mi++) {
                    String m = s.methods().get(mi).trim();
                    long t0 = System.nanoTime();
                    boolean loaded = false;
                    try {
                        Image restored;
                        if (s.models().get(mi) == null) {
                            // the degraded input itself, or a classical method
                            restored = RestorationEvaluation.restore(isInput(m) ? null : ClassicalRestorer.byName(m), m, c);
                        } else {
                            ExecutorModels.Handle h = ExecutorModels.get(s.models().get(mi));
                            loaded = h.loadedNow();
                            restored = h.model().restore(c.input(), c.sigma());
                        }
                        RestorationEvaluation.Score score = RestorationEvaluation.score(c, restored, m);
                        rows.add(RowFactory.create(name, index, deg.spec(), m, score.psnr(), score.ssim(),
                                (System.nanoTime() - t0) / 1_000_000, Report.OK, null, executor, Report.JVM, loaded));
                    } catch (Exception | OutOfMemoryError e) {
                        rows.add(RowFactory.create(name, index, deg.spec(), m, null, null, (System.nanoTime() - t0) / 1_000_000, Report.ERROR,
                                Report.describe(e), executor, Report.JVM, loaded));
                    }
                }
            }
            return rows.iterator();
        }
    }

    static Map<String, Object> summarize(Dataset<Row> r, String root, int n, double seconds, List<String> degradations, List<String> methods) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("set", root);
        doc.put("images", n);
        doc.put("seconds", Math.round(seconds * 100) / 100.0);
        doc.put("errors", r.filter(functions.col("status").equalTo(Report.ERROR)).count());
        List<Map<String, Object>> results = new ArrayList<>();
        List<Row> means = r.filter(functions.col("status").equalTo(Report.OK)).groupBy("degrade", "method")
                .agg(functions.avg("psnr"), functions.avg("ssim"), functions.count(functions.lit(1))).collectAsList();
        for (String d : degradations) {
            String ds = DegradationSpec.parse(d).spec();
            for (String m : methods) {
                for (Row x : means) {
                    if (x.getString(0).equals(ds) && x.getString(1).equals(m.trim())) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("degrade", ds);
                        e.put("method", m.trim());
                        e.put("psnr", Math.round(x.getDouble(2) * 10000) / 10000.0);
                        e.put("ssim", Math.round(x.getDouble(3) * 1000000) / 1000000.0);
                        e.put("images", x.getLong(4));
                        results.add(e);
                    }
                }
            }
        }
        doc.put("results", results);
        doc.put("model_loads", r.filter(functions.col("model_loaded")).count());
        return doc;
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> s, PrintStream out) {
        out.printf(Locale.ROOT, "%d images from %s, %.1f s, %s errors; mean over the images:%n", s.get("images"), s.get("set"),
                ((Number) s.get("seconds")).doubleValue(), s.get("errors"));
        out.printf("%-28s %-24s %10s %8s%n", "degradation", "method", "PSNR (dB)", "SSIM");
        for (Map<String, Object> e : (List<Map<String, Object>>) s.get("results")) {
            out.printf(Locale.ROOT, "%-28s %-24s %10.2f %8.4f%n", e.get("degrade"), e.get("method"), e.get("psnr"), e.get("ssim"));
        }
        out.println("model loads: " + s.get("model_loads"));
    }
}
