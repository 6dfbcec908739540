package retouch.nn.store;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import retouch.RetouchException;
import retouch.nn.Engines;

/**
 * Reads and writes Retouch model files: a folder (or a {@code .zip} of one) holding
 * {@code model.json} ({@link ModelMeta}) and {@code weights.params} (DJL
 * {@link Block#saveParameters} format).
 *
 * <p>Writes are atomic. Reads check, in order, that the file is there, that the JSON parses and
 * has a supported format version, that the architecture is the one the caller needs, that the
 * parameter manifest matches what the architecture builds, and that the weights are intact
 * (checksum, then decoding); each failure is a one-line {@link RetouchException} naming the model
 * and what to do. Extra files in a model folder (e.g. a trainer checkpoint's state) are ignored.
 */
public final class ModelFile {

    /** Metadata file name. */
    public static final String META_FILE = "model.json";
    /** Weights file name. */
    public static final String WEIGHTS_FILE = "weights.params";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelFile() {}

    /** The shared Jackson mapper (pretty printing, lenient on unknown keys). */
    public static ObjectMapper json() {
        return JSON;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Saves {@code block} (initialised) with {@code meta} to {@code target}, a folder, or a zip if
     * the name ends in {@code .zip}. Replaces an existing model atomically. The parameter manifest,
     * weights checksum, name (if unset) and creation time (if unset) are filled in. With
     * {@code meta.weightsPrecision() == "float16"} the weights are stored rounded to half precision
     * ({@link CompactWeights}: half the file; outputs move by about 1e-3 of their range), with
     * {@code "int8"} as bytes with a scale per output channel (about a quarter of the file), and loaded
     * back as float32.
     *
     * @return the meta as written
     */
    public static ModelMeta save(Path target, ModelMeta meta, Block block) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        String fileName = abs.getFileName().toString();
        boolean zip = fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
        String name = meta.name() != null ? meta.name() : zip ? fileName.substring(0, fileName.length() - 4) : fileName;
        byte[] weights = weightsBytes(block, meta);
        ModelMeta full = complete(meta.toBuilder().name(name).build(), block, weights);
        byte[] metaBytes = JSON.writeValueAsBytes(full);
        Path tmp = AtomicFiles.tempSibling(abs);
        try {
            if (zip) {
                try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zos = new ZipOutputStream(os)) {
                    zos.putNextEntry(new ZipEntry(META_FILE));
                    zos.write(metaBytes);
                    zos.closeEntry();
                    zos.putNextEntry(new ZipEntry(WEIGHTS_FILE));
                    zos.write(weights);
                    zos.closeEntry();
                }
                AtomicFiles.moveReplacing(tmp, abs);
            } else {
                Files.createDirectories(tmp);
                Files.write(tmp.resolve(META_FILE), metaBytes);
                Files.write(tmp.resolve(WEIGHTS_FILE), weights);
                AtomicFiles.replaceDir(tmp, abs);
            }
        } finally {
            AtomicFiles.deleteRecursively(tmp);
        }
        return full;
    }

    /**
     * Replaces the model.json of the model at {@code location} (a folder or .zip) with {@code meta},
     * atomically, leaving its weights and, in a folder, every other file (a checkpoint's optimiser
     * and trainer state) as they are. For records that do not touch the weights (a calibration).
     *
     * @throws RetouchException when the model cannot be read, or {@code meta} names other weights
     */
    public static void rewriteMeta(Path location, ModelMeta meta) throws IOException {
        Contents c = read(location, true);
        if (meta.weightsSha256() != null && c.meta().weightsSha256() != null && !meta.weightsSha256().equalsIgnoreCase(c.meta().weightsSha256())) {
            throw new RetouchException("model " + location + ": the new model.json names other weights than the folder holds; save the model instead");
        }
        byte[] metaBytes = JSON.writeValueAsBytes(meta);
        Path abs = location.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            Path target = abs.resolve(META_FILE), tmp = AtomicFiles.tempSibling(target);
            try {
                Files.write(tmp, metaBytes);
                AtomicFiles.moveReplacing(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return;
        }
        Path tmp = AtomicFiles.tempSibling(abs);
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zos = new ZipOutputStream(os)) {
                zos.putNextEntry(new ZipEntry(META_FILE));
                zos.write(metaBytes);
                zos.closeEntry();
                zos.putNextEntry(new ZipEntry(WEIGHTS_FILE));
                zos.write(c.weights());
                zos.closeEntry();
            }
            AtomicFiles.moveReplacing(tmp, abs);
        } finally {
            AtomicFiles.deleteRecursively(tmp);
        }
    }

    /**
     * Writes {@code model.json} and {@code weights.params} into an existing folder, not
     * atomically: for callers that assemble a larger folder in a temporary place themselves (the
     * trainer's checkpoints).
     *
     * @return the meta as written
     */
    public static ModelMeta writeInto(Path dir, ModelMeta meta, Block block) throws IOException {
        byte[] weights = weightsBytes(block, meta);
        ModelMeta full = complete(meta, block, weights);
        Files.write(dir.resolve(META_FILE), JSON.writeValueAsBytes(full));
        Files.write(dir.resolve(WEIGHTS_FILE), weights);
        return full;
    }

    private static byte[] weightsBytes(Block block, ModelMeta meta) throws IOException {
        String precision = meta.weightsPrecision();
        if (precision != null && !ModelMeta.PRECISIONS.contains(precision)) {
            throw new RetouchException("weights precision must be one of " + ModelMeta.PRECISIONS + ", not '" + precision + "'");
        }
        if (meta.compactPrecision()) return CompactWeights.encode(block, ModelMeta.INT8.equals(precision));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream dos = new DataOutputStream(bos)) {
            block.saveParameters(dos);
        }
        return bos.toByteArray();
    }

    private static ModelMeta complete(ModelMeta meta, Block block, byte[] weights) {
        // float32 files stay format 1 so that older Retouch builds keep reading them
        ModelMeta.Builder b = meta.toBuilder().formatVersion(ModelMeta.INT8.equals(meta.weightsPrecision()) ? 3 : meta.halfPrecision() ? 2 : 1)
                .parameters(manifest(block)).weightsSha256(sha256(weights));
        if (meta.created() == null) {
            b.created(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        return b.build();
    }

    /** Names and shapes of {@code block}'s parameters, in save order. */
    public static List<ModelMeta.ParamInfo> manifest(Block block) {
        List<ModelMeta.ParamInfo> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (!param.isInitialized()) {
                throw new IllegalStateException("parameter " + p.getKey() + " is not initialised; call block.initialize first");
            }
            out.add(new ModelMeta.ParamInfo(p.getKey(), param.getArray().getShape().getShape()));
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ reading

    /** The raw content of a model location: its meta and weights bytes. */
    record Contents(ModelMeta meta, byte[] weights) {}

    /** Reads and validates only {@code model.json} of a folder or zip (cheap: no weights). */
    public static ModelMeta readMeta(Path location) {
        return read(location, false).meta();
    }

    static Contents read(Path location, boolean withWeights) {
        String who = location.toString();
        if (!Files.exists(location)) {
            throw new RetouchException("model " + who + " does not exist; give a model folder, a .zip, or a name from 'retouch models'");
        }
        byte[] metaBytes;
        byte[] weights = null;
        try {
            if (Files.isDirectory(location)) {
                Path m = location.resolve(META_FILE);
                if (!Files.isRegularFile(m)) {
                    throw new RetouchException("model " + who + " has no " + META_FILE
                            + "; a Retouch model is a folder (or .zip) with " + META_FILE + " and " + WEIGHTS_FILE);
                }
                metaBytes = Files.readAllBytes(m);
                if (withWeights) {
                    Path w = location.resolve(WEIGHTS_FILE);
                    if (!Files.isRegularFile(w)) {
                        throw new RetouchException("model " + who + " has no " + WEIGHTS_FILE + "; copy the complete model folder again");
                    }
                    weights = Files.readAllBytes(w);
                }
            } else {
                try (ZipFile zf = new ZipFile(location.toFile())) {
                    ZipEntry me = findEntry(zf, META_FILE);
                    if (me == null) {
                        throw new RetouchException("model " + who + " has no " + META_FILE
                                + " inside; a Retouch model zip holds " + META_FILE + " and " + WEIGHTS_FILE);
                    }
                    metaBytes = readEntry(zf, me);
                    if (withWeights) {
                        String prefix = me.getName().substring(0, me.getName().length() - META_FILE.length());
                        ZipEntry we = zf.getEntry(prefix + WEIGHTS_FILE);
                        if (we == null) {
                            throw new RetouchException("model " + who + " has no " + WEIGHTS_FILE + " inside; re-create the zip from the complete model folder");
                        }
                        weights = readEntry(zf, we);
                    }
                } catch (ZipException e) {
                    throw new RetouchException("model " + who + " is neither a model folder nor a readable zip (" + e.getMessage() + "); re-copy or re-download it", e);
                }
            }
        } catch (IOException e) {
            throw new RetouchException("cannot read model " + who + ": " + e.getMessage(), e);
        }
        return new Contents(parseMeta(metaBytes, who), weights);
    }

    private static ZipEntry findEntry(ZipFile zf, String fileName) {
        ZipEntry best = null;
        for (var en = zf.entries(); en.hasMoreElements(); ) {
            ZipEntry e = en.nextElement();
            String n = e.getName();
            if (!e.isDirectory() && (n.equals(fileName) || n.endsWith("/" + fileName))
                    && (best == null || n.length() < best.getName().length())) {
                best = e;
            }
        }
        return best;
    }

    private static byte[] readEntry(ZipFile zf, ZipEntry e) throws IOException {
        try (InputStream is = zf.getInputStream(e)) {
            return is.readAllBytes();
        }
    }

    static ModelMeta parseMeta(byte[] bytes, String who) {
        ModelMeta meta;
        try {
            meta = JSON.readValue(bytes, ModelMeta.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new RetouchException("model.json of " + who + " is not valid JSON" + where + " ("
                    + e.getOriginalMessage() + "); restore it from the original model", e);
        } catch (IOException e) {
            throw new RetouchException("cannot read model.json of " + who + ": " + e.getMessage(), e);
        }
        if (meta == null) {
            throw new RetouchException("model.json of " + who + " is empty; restore it from the original model");
        }
        if (meta.formatVersion() <= 0) {
            throw new RetouchException("model.json of " + who + " has no valid format_version; it is not a Retouch model file");
        }
        if (meta.formatVersion() > ModelMeta.FORMAT_VERSION) {
            throw new RetouchException("model " + who + " uses model format " + meta.formatVersion()
                    + " but this Retouch reads format " + ModelMeta.FORMAT_VERSION + "; upgrade Retouch");
        }
        if (meta.architecture() == null || meta.architecture().isBlank()) {
            throw new RetouchException("model.json of " + who + " names no architecture; restore it from the original model");
        }
        for (int i = 0; i < meta.parameters().size(); i++) {
            ModelMeta.ParamInfo p = meta.parameters().get(i);
            if (p.name() == null || p.shape() == null) { // found by fuzzing: a later manifest check failed with a NullPointerException
                throw new RetouchException("model.json of " + who + " lists parameter " + (i + 1) + " without a " + (p.name() == null ? "name" : "shape")
                        + "; restore it from the original model");
            }
        }
        return meta;
    }

    /**
     * Loads a model by name (see {@link ModelStore}) or path, for inference.
     *
     * @param nameOrPath model name, folder or zip
     * @param requiredArchitecture the architecture the caller needs, or {@code null} for any
     * @return the loaded model; close it
     */
    public static LoadedModel load(String nameOrPath, String requiredArchitecture) {
        return load(ModelStore.resolve(nameOrPath), requiredArchitecture);
    }

    /** Loads the model at {@code location} (folder or zip); see {@link #load(String, String)}. */
    public static LoadedModel load(Path location, String requiredArchitecture) {
        Engines.init();
        String who = displayName(location);
        Contents c = read(location, true);
        ModelMeta meta = c.meta();
        checkArchitecture(meta, requiredArchitecture, who);
        Model model = Model.newInstance(meta.name() != null ? meta.name() : who);
        try {
            Block block = Architectures.buildInitialized(meta, model.getNDManager());
            loadWeights(block, meta, c.weights(), model.getNDManager(), who, false);
            model.setBlock(block);
            return new LoadedModel(meta, model, location);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Loads the weights stored at {@code location} into an initialised {@code block} built for the
     * same meta (used to resume training; parameters keep requiring gradients).
     */
    public static ModelMeta loadInto(Path location, Block block, NDManager manager, boolean trainable) {
        String who = displayName(location);
        Contents c = read(location, true);
        loadWeights(block, c.meta(), c.weights(), manager, who, trainable);
        return c.meta();
    }

    /** Whether the model has a fusion head beside its network (model.json {@code fusion_depth}; retouch train fusion). */
    public static boolean hasFusionHead(ModelMeta meta) {
        return meta.intParam("fusion_depth", 0) > 0;
    }

    /**
     * The loaded model's network without its fusion head, as a block of its own in {@code manager}
     * (the model's own block when it has no head): what starts another training from it.
     */
    public static Block networkOnly(LoadedModel model, NDManager manager) {
        if (!hasFusionHead(model.meta())) return model.block();
        ModelMeta plain = model.meta().toBuilder().hyper("fusion_depth", 0).build();
        Block net = Architectures.buildInitialized(plain, manager);
        copyParameters(model.block(), net);
        return net;
    }

    /**
     * Copies into every parameter of {@code to} the same-named parameter of {@code from} (which
     * may have more, e.g. a fusion head); gradients stay as {@code to}'s parameters want them.
     *
     * @throws RetouchException when {@code from} lacks one of them or has it in another shape
     */
    public static void copyParameters(Block from, Block to) {
        Map<String, Parameter> source = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : from.getParameters()) source.put(p.getKey(), p.getValue());
        for (Pair<String, Parameter> p : to.getParameters()) {
            Parameter src = source.get(p.getKey());
            NDArray dst = p.getValue().getArray();
            if (src == null || !src.getArray().getShape().equals(dst.getShape())) {
                throw new RetouchException("parameter '" + p.getKey() + "' " + (src == null ? "is missing" : "has shape " + src.getArray().getShape())
                        + " in the start model; it needs " + dst.getShape());
            }
            dst.set(src.getArray().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
        }
    }

    /** "'name' (path)" for messages. */
    static String displayName(Path location) {
        return location.toString();
    }

    static void checkArchitecture(ModelMeta meta, String required, String who) {
        if (required != null && !required.equals(meta.architecture())) {
            throw new RetouchException("model " + who + " is a '" + meta.architecture() + "' model, but this command needs a '"
                    + required + "' model; pick a '" + required + "' model (see 'retouch models')");
        }
    }

    private static void loadWeights(Block block, ModelMeta meta, byte[] weights, NDManager manager, String who, boolean trainable) {
        if (meta.weightsSha256() != null && !meta.weightsSha256().equalsIgnoreCase(sha256(weights))) {
            throw new RetouchException("weights of model " + who + " are corrupt or truncated (checksum does not match model.json, "
                    + weights.length + " bytes); copy the model again or retrain it");
        }
        if (!meta.parameters().isEmpty()) {
            compareManifest(manifest(block), meta.parameters(), meta, who, "model.json lists");
        }
        replaceParameters(block, manager, weights, meta, who, trainable);
    }

    /**
     * Replaces the parameters of an initialised {@code block} by those in {@code weights} (DJL
     * {@link Block#saveParameters} format), checking every name and shape against what the block
     * has. Used for model files and for extra blocks in training checkpoints.
     *
     * @param meta used in messages only (architecture, hyper-parameters)
     * @param who the file, for messages
     * @param trainable whether the new parameters must require gradients (resumed training)
     * @throws RetouchException if the data is damaged or belongs to another network
     */
    public static void replaceParameters(Block block, NDManager manager, byte[] weights, ModelMeta meta, String who, boolean trainable) {
        List<ModelMeta.ParamInfo> expected = manifest(block);
        if (meta.compactPrecision() || CompactWeights.isCompact(weights)) {
            CompactWeights.decodeInto(block, weights, meta.compactPrecision() ? meta.weightsPrecision() : null, who); // in place, into the initial arrays
            if (trainable) requireGradients(block);
            return;
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            p.getValue().close(); // free the initial values; load puts the stored ones in
        }
        try (DataInputStream dis = new DataInputStream(new ByteArrayInputStream(weights))) {
            block.loadParameters(manager, dis);
            if (dis.read() != -1) {
                throw new MalformedModelException("unexpected data after the last parameter");
            }
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new RetouchException("weights of model " + who + " are corrupt or truncated (" + e.getMessage()
                    + "); copy the model again or retrain it", e);
        }
        compareManifest(expected, manifest(block), meta, who, "the weights file holds");
        if (trainable) requireGradients(block);
    }

    private static void requireGradients(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
    }

    private static void compareManifest(List<ModelMeta.ParamInfo> expected, List<ModelMeta.ParamInfo> found,
                                        ModelMeta meta, String who, String foundWhere) {
        Map<String, ModelMeta.ParamInfo> byName = new LinkedHashMap<>();
        for (ModelMeta.ParamInfo f : found) {
            byName.put(f.name(), f);
        }
        String arch = "'" + meta.architecture() + "' with hyper-parameters " + meta.hyperParameters();
        for (ModelMeta.ParamInfo e : expected) {
            ModelMeta.ParamInfo f = byName.remove(e.name());
            if (f == null) {
                throw new RetouchException("model " + who + ": parameter '" + e.name() + "' that " + arch
                        + " needs is missing (" + foundWhere + " " + found.size() + " parameters); the weights do not belong to this architecture");
            }
            if (!java.util.Arrays.equals(e.shape(), f.shape())) {
                throw new RetouchException("model " + who + ": parameter '" + e.name() + "' has shape " + f.shapeString()
                        + " but " + arch + " expects " + e.shapeString() + "; the hyper-parameters in model.json do not match the weights");
            }
        }
        if (!byName.isEmpty()) {
            throw new RetouchException("model " + who + ": " + foundWhere + " parameter '" + byName.keySet().iterator().next()
                    + "' that " + arch + " does not have; the weights do not belong to this architecture");
        }
    }
}
