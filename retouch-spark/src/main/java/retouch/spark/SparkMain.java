package retouch.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import retouch.Json;
import retouch.RetouchException;

/**
 * {@code retouch spark restore|eval}: the Spark front door. Run by the {@code retouch} launcher
 * with an embedded local Spark ({@code --master local[2]}), or by {@code spark-submit --class
 * retouch.spark.SparkMain} on a cluster (the master then comes from spark-submit). Exit codes as
 * the CLI's: 0 done (failed images are report rows, counted in the summary), 2 bad command line,
 * 3 bad input (missing folder, unknown model, every image failed).
 */
public final class SparkMain {
    static final int OK = 0;
    static final int USAGE = 2;
    static final int BAD_INPUT = 3;
    static final int INTERNAL = 4;

    private SparkMain() {}

    static final String USAGE_TEXT = """
            Usage: retouch spark restore --input DIR --output DIR [options]
                   retouch spark eval --set DIR --task denoise --sigma 25 [options]

            Restore or score a collection of images on Apache Spark: an embedded local Spark
            (--master local[N], the default local[*]) or a cluster through spark-submit
            (README, "Running on a cluster"). Paths may be any Hadoop path (file:, hdfs:, s3a:, ...).

            restore: every image under --input is restored into --output (same relative path, .png),
              as 'retouch restore --task TASK' does. Outputs already there are skipped, so a re-run
              resumes. A corrupt, empty or oversized file is an error row in the report, not a failure.
              --input DIR            images (png, jpg, jpeg, bmp, gif; subfolders too)
              --output DIR           restored PNGs
              --task TASK            denoise (default), deblur, sr2, sr4, jpeg, deblur-gan
              --model NAME|PATH      a model name from 'retouch models', a model folder or .zip, or a .pt
                                     (default: the task's shipped model; denoise sends RGB photos to
                                     denoise-color, gray ones to denoise-gray). Shipped to the executors.
              --references DIR       clean images with the same names: the report gets PSNR/SSIM
              --sigma S|auto         noise level on the 0-255 scale (default auto: estimated per image)
              --quality auto|fast|max   as 'retouch restore --quality': fast = one network pass, max = the
                                     model's refinement stages too (BM3D's Wiener stage), auto = model.json
              --refine none|wiener|fusion   the denoisers' refinement stage itself
              --tile N               tile side (default 512, as 'retouch restore')
              --glob GLOB            which file names to take (default: the image extensions)
              --images-per-partition N   images per Spark partition (default 4)
              --max-bytes N          larger files are error rows (default 536870912)
              --report DIR           where report.parquet, report.csv and summary.json go (default OUTPUT/_retouch)
              --master URL           Spark master (default: spark-submit's, else local[*])
              --json                 print the summary as JSON

            eval: as 'retouch eval': each clean image is degraded (seeded per image), restored by each
              method, and scored (PSNR/SSIM per image and mean).
              --set DIR              clean images
              --task denoise|sr2|sr4|deblur|jpeg  or  --degrade SPEC
              --sigma S[,S...]       noise levels for --task denoise
              --methods M[,M...]     noisy, a model name/path, or a classical method (default: noisy,MODEL
                                     where MODEL is the task's shipped model)
              --blind                do not tell denoisers the true sigma
              --gray, --quantize, --seed N, --limit N, --tile N, --quality Q, --refine R, --master URL,
              --report DIR (required), --json

            Examples:
              retouch spark restore --input scans/ --output restored/ --task denoise --master local[2]
              retouch spark restore --input scans/ --output restored/ --references clean/
              retouch spark eval --set ../shared/data/set12 --task denoise --sigma 25 --methods noisy,denoise-gray
              spark-submit --class retouch.spark.SparkMain ... retouch-spark.jar restore --input hdfs:///in --output hdfs:///out

            Engine threads: one per task is best (RETOUCH_THREADS=1, OMP_NUM_THREADS=1; the launcher sets them).
            Exit codes: 0 done (failed images are counted in the summary), 2 bad command line, 3 bad input.
            """;

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.exit(code);
    }

    /** Runs one command line; returns the exit code (tests call this). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        quietLogging();
        if (args.length == 0) { // as 'retouch' without a subcommand: usage on stderr, exit 2
            err.print(USAGE_TEXT);
            return USAGE;
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(USAGE_TEXT);
            return OK;
        }
        String command = args[0];
        Args a;
        try {
            a = Args.parse(java.util.Arrays.copyOfRange(args, 1, args.length));
            if (a.flag("help") || a.flag("h")) {
                out.print(USAGE_TEXT);
                return OK;
            }
            return switch (command) {
                case "restore" -> restore(a, out, err);
                case "eval" -> EvalJob.main(a, out);
                default -> throw new UsageException("unknown command '" + command + "'; use 'retouch spark restore' or 'retouch spark eval'");
            };
        } catch (UsageException e) {
            err.println("retouch spark: " + e.getMessage());
            err.println("Run 'retouch spark --help' for usage.");
            return USAGE;
        } catch (Exception e) { // Spark rethrows its checked SparkException undeclared
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof RetouchException) {
                    err.println("retouch spark: " + t.getMessage());
                    return BAD_INPUT;
                }
            }
            if (System.getenv("RETOUCH_DEBUG") != null) e.printStackTrace(err);
            err.println("retouch spark: internal error: " + Report.describe(e) + " (set RETOUCH_DEBUG=1 for the stack trace and report it)");
            return INTERNAL;
        }
    }

    private static int restore(Args a, PrintStream out, PrintStream err) {
        a.allow("input", "output", "task", "model", "references", "sigma", "tile", "glob", "images-per-partition",
                "max-bytes", "report", "master", "json", "no-sigma-estimate", "quality", "refine");
        String input = a.required("input");
        String output = a.required("output");
        String task = a.get("task", "denoise").toLowerCase(Locale.ROOT);
        String model = a.get("model", null);
        double sigma = parseSigma(a.get("sigma", "auto"));
        int tile = a.intValue("tile", retouch.api.Retouch.Options.DEFAULT_TILE, 32);
        String quality = a.get("quality", null);
        String refine = a.get("refine", null);
        int perPartition = a.intValue("images-per-partition", 4, 1);
        long maxBytes = a.longValue("max-bytes", 512L << 20, 1);
        a.checkNoneLeft();
        if (model == null && !retouch.nn.store.ModelStore.DEFAULT_FOR_TASK.containsKey(task)) {
            throw new UsageException("unknown --task '" + task + "'; use one of " + new java.util.TreeSet<>(retouch.nn.store.ModelStore.DEFAULT_FOR_TASK.keySet())
                    + " (inpainting needs a mask per image and is not offered here)");
        }
        if (task.equals("inpaint")) throw new UsageException("inpainting needs a mask per image; 'retouch spark restore' does not do it");
        SparkSession spark = session(a.get("master", null), "retouch spark restore");
        try {
            var conf = spark.sparkContext().hadoopConfiguration();
            String in = RestoreJob.qualify(input, conf);
            String o = RestoreJob.qualify(output, conf);
            String refs = a.has("references") ? RestoreJob.qualify(a.get("references", null), conf) : null;
            String report = a.has("report") ? RestoreJob.qualify(a.get("report", null), conf) : o + "/_retouch";
            java.nio.file.Path tmp = java.nio.file.Path.of(RestoreJob.tempDir());
            ModelSpec spec = ModelSpec.ship(spark.sparkContext(), model, task, sigma, tile, quality, refine, tmp);
            var settings = new RestoreJob.Settings(in, o, refs, report, spec, a.get("glob", RestoreJob.defaultGlob()), perPartition, maxBytes,
                    !a.flag("no-sigma-estimate"));
            RestoreJob.Result r = RestoreJob.run(spark, settings);
            deleteTree(tmp);
            printSummary(r.summary(), a.flag("json"), out);
            if (r.errors() > 0 && r.restored() == 0 && r.skipped() == 0) {
                @SuppressWarnings("unchecked") List<String> errs = (List<String>) r.summary().get("first_errors");
                err.println("retouch spark: every image failed; first error: " + (errs.isEmpty() ? "?" : errs.get(0)));
                return BAD_INPUT;
            }
            return OK;
        } finally {
            spark.stop();
        }
    }

    static void printSummary(Map<String, Object> s, boolean json, PrintStream out) {
        if (json) {
            out.println(Json.write(s));
            return;
        }
        out.printf(Locale.ROOT, "restored %d of %d images into %s: %d errors, %d skipped (output already there); %.1f s, %.3f images/s on %s, %d partitions%n",
                s.get("restored"), s.get("images"), s.get("output"), s.get("errors"), s.get("skipped"), ((Number) s.get("seconds")).doubleValue(),
                ((Number) s.get("images_per_second")).doubleValue(), s.get("master"), s.get("partitions"));
        if (s.get("mean_psnr") != null) out.printf(Locale.ROOT, "mean PSNR %.2f dB, SSIM %.4f against the references%n", s.get("mean_psnr"), s.get("mean_ssim"));
        out.printf("model loads: %s in %s executor JVM(s) %s%n", s.get("model_loads"), s.get("executor_jvms"), s.get("model_loads_per_jvm"));
        @SuppressWarnings("unchecked") List<String> errs = (List<String>) s.get("first_errors");
        if (!errs.isEmpty()) {
            out.println("errors" + (((Number) s.get("errors")).longValue() > errs.size() ? " (first " + errs.size() + ")" : "") + ":");
            for (String e : errs) out.println("  " + e);
        }
        out.println("report: " + s.get("report") + "/{report.csv, report.parquet, summary.json}");
    }

    /** The Spark session: spark-submit's master when there is one, else the given or local[*] (quiet, UI off, loopback only). */
    static SparkSession session(String master, String appName) {
        String configured = System.getProperty("spark.master");
        String m = master != null ? master : configured != null ? configured : "local[*]";
        SparkSession.Builder b = SparkSession.builder().appName(appName).master(m);
        if (m.startsWith("local")) {
            b.config("spark.ui.enabled", "false")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.driver.host", "127.0.0.1")
             .config("spark.sql.shuffle.partitions", "8")
             .config("spark.ui.showConsoleProgress", "false");
        }
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }

    /** Spark logs at WARN unless the user chose a log4j2 configuration. */
    static void quietLogging() {
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "retouch-spark-log4j2.properties");
        }
    }

    static double parseSigma(String s) {
        if (s.equalsIgnoreCase("auto")) return Double.NaN;
        try {
            double v = Double.parseDouble(s);
            if (v < 0 || v > 255) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException("--sigma must be a number from 0 to 255 (noise level on the 8-bit scale) or 'auto', not '" + s + "'");
        }
    }

    static void deleteTree(java.nio.file.Path p) {
        try (var s = java.nio.file.Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temporary folder: best effort
        }
    }

    /** A command-line mistake (exit code 2). */
    static final class UsageException extends RuntimeException {
        UsageException(String m) { super(m); }
    }

    /** --name value and --flag options. */
    static final class Args {
        private final Map<String, String> values = new LinkedHashMap<>();
        private final List<String> allowed = new ArrayList<>();
        private static final List<String> FLAGS = List.of("json", "help", "h", "blind", "gray", "quantize", "no-sigma-estimate");

        static Args parse(String[] args) {
            Args a = new Args();
            for (int i = 0; i < args.length; i++) {
                String t = args[i];
                if (!t.startsWith("-")) throw new UsageException("unexpected argument '" + t + "'; options are --name value");
                String name = t.replaceFirst("^--?", "");
                String value = null;
                int eq = name.indexOf('=');
                if (eq > 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (!FLAGS.contains(name)) {
                    if (i + 1 >= args.length) throw new UsageException("--" + name + " needs a value");
                    value = args[++i];
                }
                if (a.values.containsKey(name)) throw new UsageException("--" + name + " is given twice");
                a.values.put(name, value == null ? "true" : value);
            }
            return a;
        }

        void allow(String... names) { allowed.addAll(List.of(names)); }

        void checkNoneLeft() {
            for (String k : values.keySet()) {
                if (!allowed.contains(k)) throw new UsageException("unknown option --" + k);
            }
        }

        boolean has(String n) { return values.containsKey(n); }

        boolean flag(String n) { return "true".equals(values.get(n)); }

        String get(String n, String def) { return values.getOrDefault(n, def); }

        String required(String n) {
            String v = values.get(n);
            if (v == null) throw new UsageException("--" + n + " is required");
            return v;
        }

        int intValue(String n, int def, int min) {
            long v = longValue(n, def, min);
            if (v > Integer.MAX_VALUE) throw new UsageException("--" + n + " is too large");
            return (int) v;
        }

        long longValue(String n, long def, long min) {
            String s = values.get(n);
            if (s == null) return def;
            try {
                long v = Long.parseLong(s.trim());
                if (v < min) throw new NumberFormatException();
                return v;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + n + " must be a whole number of at least " + min + ", not '" + s + "'");
            }
        }
    }
}
