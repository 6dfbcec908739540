package retouch.spark;

import java.lang.management.ManagementFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The report a job writes: one row per image. */
final class Report {
    private Report() {}

    static final String OK = "ok";
    static final String SKIPPED = "skipped";
    static final String ERROR = "error";

    /** Rows of {@code retouch spark restore}. */
    static final StructType RESTORE = new StructType(new StructField[] {
            field("input", DataTypes.StringType),
            field("output", DataTypes.StringType),
            field("task", DataTypes.StringType),
            field("model", DataTypes.StringType),
            field("width", DataTypes.IntegerType),
            field("height", DataTypes.IntegerType),
            field("channels", DataTypes.IntegerType),
            field("sigma", DataTypes.DoubleType),        // noise level used or estimated (0-255), denoising
            field("blur", DataTypes.StringType),         // blur found, blind deblurring
            field("millis", DataTypes.LongType),         // read + restore + write, this image
            field("status", DataTypes.StringType),       // ok, skipped (output already there), error
            field("error", DataTypes.StringType),
            field("psnr", DataTypes.DoubleType),         // against --references, of the output as written
            field("ssim", DataTypes.DoubleType),
            field("executor", DataTypes.StringType),
            field("jvm", DataTypes.StringType),
            field("model_loaded", DataTypes.BooleanType), // this image's task loaded the model into its JVM
            field("model_load_millis", DataTypes.LongType),
            field("started", DataTypes.LongType),        // epoch milliseconds: when the task took the image up
            field("finished", DataTypes.LongType),       // and when its row was done
    });

    /** Rows of {@code retouch spark eval}: one per image, degradation and method. */
    static final StructType EVAL = new StructType(new StructField[] {
            field("image", DataTypes.StringType),
            field("index", DataTypes.IntegerType),
            field("degrade", DataTypes.StringType),
            field("method", DataTypes.StringType),
            field("psnr", DataTypes.DoubleType),
            field("ssim", DataTypes.DoubleType),
            field("millis", DataTypes.LongType),
            field("status", DataTypes.StringType),
            field("error", DataTypes.StringType),
            field("executor", DataTypes.StringType),
            field("jvm", DataTypes.StringType),
            field("model_loaded", DataTypes.BooleanType),
    });

    private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    /** This JVM: pid@host. */
    static final String JVM = ManagementFactory.getRuntimeMXBean().getName();

    /** The executor this code runs in ("driver" in local mode). */
    static String executorId() {
        org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
        return env == null ? "none" : env.executorId();
    }

    /** The first line of an error, naming its type when the message is empty. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) return t.getClass().getSimpleName();
        String first = m.lines().findFirst().orElse(m);
        return t instanceof retouch.RetouchException ? first : t.getClass().getSimpleName() + ": " + first;
    }
}
