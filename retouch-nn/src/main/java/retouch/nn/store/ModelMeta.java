package retouch.nn.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code model.json} of a model file: everything needed to rebuild the network and to judge
 * where the weights came from (data, command, seed, steps, metrics).
 *
 * <p>Immutable; change it through {@link #toBuilder()}. JSON keys are snake_case; unknown keys are
 * ignored so newer minor additions do not break older readers (breaking changes raise
 * {@link #FORMAT_VERSION}).
 *
 * @param formatVersion version of this file format ({@link #FORMAT_VERSION} when written)
 * @param name short model name (defaults to the folder name)
 * @param architecture registered architecture name, see {@link Architectures}
 * @param hyperParameters architecture options (numbers, strings, booleans)
 * @param inputChannels channels the network reads
 * @param outputChannels channels the network writes
 * @param valueRange nominal range of input/output values, usually [0, 1]
 * @param tasks what the model does ("denoise", "generate", ...)
 * @param labels class names for conditional models, else empty
 * @param trainingData description of the training data
 * @param command command line that trained it
 * @param seed training seed
 * @param steps optimisation steps done
 * @param wallTimeSeconds training wall time
 * @param metrics evaluation results (e.g. "psnr_set12_s25")
 * @param created ISO-8601 creation instant
 * @param description free text
 * @param parameters manifest of the weights: names and shapes in save order
 * @param weightsSha256 SHA-256 of the weights file, to detect corruption
 * @param weightsPrecision how the weights are stored: {@code null} or "float32" (default), or
 *     "float16" (half the size; loaded back as float32, see {@link ModelFile#save})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMeta(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("name") String name,
        @JsonProperty("architecture") String architecture,
        @JsonProperty("hyper_parameters") Map<String, Object> hyperParameters,
        @JsonProperty("input_channels") int inputChannels,
        @JsonProperty("output_channels") int outputChannels,
        @JsonProperty("value_range") List<Double> valueRange,
        @JsonProperty("tasks") List<String> tasks,
        @JsonProperty("labels") List<String> labels,
        @JsonProperty("training_data") String trainingData,
        @JsonProperty("command") String command,
        @JsonProperty("seed") Long seed,
        @JsonProperty("steps") Long steps,
        @JsonProperty("wall_time_seconds") Double wallTimeSeconds,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("created") String created,
        @JsonProperty("description") String description,
        @JsonProperty("parameters") List<ParamInfo> parameters,
        @JsonProperty("weights_sha256") String weightsSha256,
        @JsonProperty("weights_precision") String weightsPrecision) {

    /**
     * The newest format this build reads. Files are written as format 1 unless they need 2
     * (float16 weights, which a format-1 reader would load but could not run) or 3 (int8 weights).
     */
    public static final int FORMAT_VERSION = 3;
    /** {@link #weightsPrecision} of half-precision files. */
    public static final String FLOAT16 = "float16";
    /** {@link #weightsPrecision} of files with int8 weights and a scale per output channel. */
    public static final String INT8 = "int8";
    /** The precisions a model file can store its weights in. */
    public static final List<String> PRECISIONS = List.of("float32", FLOAT16, INT8);

    /** Whether the weights file stores float16 values. */
    public boolean halfPrecision() {
        return FLOAT16.equals(weightsPrecision);
    }

    /** Whether the weights file is one of {@link CompactWeights}' (float16 or int8). */
    public boolean compactPrecision() {
        return FLOAT16.equals(weightsPrecision) || INT8.equals(weightsPrecision);
    }

    /** Normalises nulls to empty collections and copies them defensively. */
    public ModelMeta {
        hyperParameters = hyperParameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hyperParameters));
        valueRange = valueRange == null ? List.of(0.0, 1.0) : List.copyOf(valueRange);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        labels = labels == null ? List.of() : List.copyOf(labels);
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }

    /**
     * One entry of the weights manifest.
     *
     * @param name DJL parameter path, e.g. "01Conv2d_weight"
     * @param shape dimensions
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ParamInfo(@JsonProperty("name") String name, @JsonProperty("shape") long[] shape) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ParamInfo p && p.name.equals(name) && java.util.Arrays.equals(p.shape, shape);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + java.util.Arrays.hashCode(shape);
        }

        /** The shape as "(a, b, c)". */
        public String shapeString() {
            return shapeString(shape);
        }

        static String shapeString(long[] s) {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < s.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(s[i]);
            }
            return sb.append(')').toString();
        }

        @Override
        public String toString() {
            return name + shapeString();
        }
    }

    /** A builder for an architecture; other fields start empty. */
    public static Builder builder(String architecture) {
        return new Builder().architecture(architecture);
    }

    /** A builder holding this meta's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.formatVersion = formatVersion;
        b.name = name;
        b.architecture = architecture;
        b.hyperParameters = new LinkedHashMap<>(hyperParameters);
        b.inputChannels = inputChannels;
        b.outputChannels = outputChannels;
        b.valueRange = valueRange;
        b.tasks = new ArrayList<>(tasks);
        b.labels = new ArrayList<>(labels);
        b.trainingData = trainingData;
        b.command = command;
        b.seed = seed;
        b.steps = steps;
        b.wallTimeSeconds = wallTimeSeconds;
        b.metrics = new LinkedHashMap<>(metrics);
        b.created = created;
        b.description = description;
        b.parameters = parameters;
        b.weightsSha256 = weightsSha256;
        b.weightsPrecision = weightsPrecision;
        return b;
    }

    /** Integer hyper-parameter, or {@code def} when absent. */
    public int intParam(String key, int def) {
        Object v = hyperParameters.get(key);
        return v instanceof Number n ? n.intValue() : v == null ? def : Integer.parseInt(v.toString());
    }

    /** Floating-point hyper-parameter, or {@code def} when absent. */
    public double doubleParam(String key, double def) {
        Object v = hyperParameters.get(key);
        return v instanceof Number n ? n.doubleValue() : v == null ? def : Double.parseDouble(v.toString());
    }

    /** Boolean hyper-parameter, or {@code def} when absent. */
    public boolean boolParam(String key, boolean def) {
        Object v = hyperParameters.get(key);
        return v instanceof Boolean b ? b : v == null ? def : Boolean.parseBoolean(v.toString());
    }

    /** String hyper-parameter, or {@code def} when absent. */
    public String stringParam(String key, String def) {
        Object v = hyperParameters.get(key);
        return v == null ? def : v.toString();
    }

    /** Builder for {@link ModelMeta}; {@code formatVersion} defaults to {@link #FORMAT_VERSION}. */
    public static final class Builder {
        private int formatVersion = FORMAT_VERSION;
        private String name;
        private String architecture;
        private Map<String, Object> hyperParameters = new LinkedHashMap<>();
        private int inputChannels = 1;
        private int outputChannels = 1;
        private List<Double> valueRange = List.of(0.0, 1.0);
        private List<String> tasks = new ArrayList<>();
        private List<String> labels = new ArrayList<>();
        private String trainingData;
        private String command;
        private Long seed;
        private Long steps;
        private Double wallTimeSeconds;
        private Map<String, Double> metrics = new LinkedHashMap<>();
        private String created;
        private String description;
        private List<ParamInfo> parameters = List.of();
        private String weightsSha256;
        private String weightsPrecision;

        Builder() {}

        public Builder formatVersion(int v) { formatVersion = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder architecture(String v) { architecture = v; return this; }
        /** Sets one hyper-parameter (Number, String or Boolean). */
        public Builder hyper(String key, Object value) { hyperParameters.put(key, value); return this; }
        public Builder hyperParameters(Map<String, Object> v) { hyperParameters = new LinkedHashMap<>(v); return this; }
        public Builder inputChannels(int v) { inputChannels = v; return this; }
        public Builder outputChannels(int v) { outputChannels = v; return this; }
        /** Sets input and output channels at once. */
        public Builder channels(int in, int out) { inputChannels = in; outputChannels = out; return this; }
        public Builder valueRange(double lo, double hi) { valueRange = List.of(lo, hi); return this; }
        public Builder tasks(String... v) { tasks = new ArrayList<>(List.of(v)); return this; }
        public Builder tasks(List<String> v) { tasks = new ArrayList<>(v); return this; }
        public Builder labels(List<String> v) { labels = new ArrayList<>(v); return this; }
        public Builder trainingData(String v) { trainingData = v; return this; }
        public Builder command(String v) { command = v; return this; }
        public Builder seed(Long v) { seed = v; return this; }
        public Builder steps(Long v) { steps = v; return this; }
        public Builder wallTimeSeconds(Double v) { wallTimeSeconds = v; return this; }
        /** Sets one metric. */
        public Builder metric(String key, double value) { metrics.put(key, value); return this; }
        public Builder metrics(Map<String, Double> v) { metrics = new LinkedHashMap<>(v); return this; }
        public Builder created(String v) { created = v; return this; }
        public Builder description(String v) { description = v; return this; }
        public Builder parameters(List<ParamInfo> v) { parameters = v; return this; }
        public Builder weightsSha256(String v) { weightsSha256 = v; return this; }
        /** {@code null} (float32), {@link #FLOAT16} or {@link #INT8}. */
        public Builder weightsPrecision(String v) { weightsPrecision = v; return this; }

        public ModelMeta build() {
            return new ModelMeta(formatVersion, name, architecture, hyperParameters, inputChannels, outputChannels,
                    valueRange, tasks, labels, trainingData, command, seed, steps, wallTimeSeconds, metrics,
                    created, description, parameters, weightsSha256, weightsPrecision);
        }
    }
}
