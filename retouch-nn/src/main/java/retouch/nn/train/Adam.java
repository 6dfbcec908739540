package retouch.nn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import retouch.RetouchException;

/**
 * Adam / AdamW (Kingma &amp; Ba 2015; Loshchilov &amp; Hutter 2019) over the parameters of one
 * block, with state that can be saved and restored.
 *
 * <p>Why not DJL's {@code Adam}: it keeps its moments in private maps, so a resumed run would
 * restart them from zero and diverge from an uninterrupted one. This class holds the step count
 * and both moments itself and {@link #save saves} them; the update is DJL's fused native
 * {@code adamUpdate} (one call per parameter, in place), with the bias correction arranged to
 * match {@code torch.optim.Adam}/{@code AdamW} exactly. {@link #update()} also clears the
 * gradients it consumed (the PyTorch engine accumulates them otherwise).
 *
 * <pre>{@code
 * Adam adam = Adam.builder().optLearningRate(LrSchedule.cosine(1e-3f, 1e-5f, steps)).build(block);
 * try (GradientCollector gc = ctx.newGradientCollector()) { ...; gc.backward(loss); }
 * adam.update();
 * }</pre>
 */
public final class Adam implements AutoCloseable {

    private static final String MAGIC = "retouch-adam";
    private static final int VERSION = 1;

    private final LrSchedule schedule;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final boolean decoupled;
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();
    /** Each parameter's multiple of the scheduled rate (1 unless {@link Builder#optLrScale} says otherwise). */
    private final List<Float> lrScales = new ArrayList<>();
    private final NDManager stateManager;
    private final NDArray[] means;
    private final NDArray[] variances;
    private long updates;
    private float lastLr;

    private Adam(Builder b, Block block) {
        schedule = b.schedule;
        beta1 = b.beta1;
        beta2 = b.beta2;
        epsilon = b.epsilon;
        weightDecay = b.weightDecay;
        decoupled = b.decoupled;
        NDManager owner = null;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (!param.requiresGradient()) {
                continue;
            }
            if (!param.isInitialized()) {
                throw new IllegalStateException("initialise the block before creating its optimiser (parameter " + p.getKey() + ")");
            }
            names.add(p.getKey());
            params.add(param);
            float scale = 1f;
            for (Pair<java.util.function.Predicate<String>, Float> rule : b.lrScales) {
                if (rule.getKey().test(p.getKey())) scale = rule.getValue();
            }
            lrScales.add(scale);
            if (owner == null) {
                owner = param.getArray().getManager();
            }
        }
        if (owner == null) {
            throw new IllegalArgumentException("block has no trainable parameters");
        }
        stateManager = owner.newSubManager();
        means = new NDArray[params.size()];
        variances = new NDArray[params.size()];
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getArray();
            means[i] = stateManager.zeros(w.getShape(), w.getDataType());
            variances[i] = stateManager.zeros(w.getShape(), w.getDataType());
        }
    }

    /** A builder with PyTorch's defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8, no weight decay). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies one update to every parameter from its current gradient, then clears the gradients.
     * Parameters that received no gradient are updated with a zero gradient (their moments decay),
     * as in PyTorch when {@code grad} is zero rather than {@code None}.
     */
    public void update() {
        updates++;
        float lr = schedule.at(updates);
        lastLr = lr;
        double bc1 = 1 - Math.pow(beta1, updates);
        double bc2 = 1 - Math.pow(beta2, updates);
        // torch: w -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps) == (lr*sqrt(bc2)/bc1) * m / (sqrt(v) + eps*sqrt(bc2))
        float lrCorrected = (float) (lr * Math.sqrt(bc2) / bc1);
        float eps = (float) (epsilon * Math.sqrt(bc2));
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getArray();
            NDArray g = w.getGradient();
            float scale = lrScales.get(i);
            try {
                w.getNDArrayInternal().adamUpdate(new NDList(w, g, means[i], variances[i]), new NDList(w),
                        lr * scale, lrCorrected * scale, weightDecay, 1f, -1f, beta1, beta2, eps, true, decoupled);
            } finally {
                g.close(); // only the Java-side handle; the gradient itself belongs to w
            }
        }
    }

    /** Clears the gradients of this optimiser's parameters without updating (e.g. a GAN's D after the G step). */
    public void zeroGradients() {
        for (Parameter p : params) {
            NDArray w = p.getArray();
            if (w instanceof PtNDArray pt) {
                JniUtils.zeroGrad(pt); // NaN-safe, unlike g - g
            } else {
                try (NDArray g = w.getGradient()) {
                    g.subi(g);
                }
            }
        }
    }

    /** Updates done so far. */
    public long updates() {
        return updates;
    }

    /** Learning rate of the last update (0 before the first). */
    public float lastLearningRate() {
        return lastLr;
    }

    /** The schedule in use. */
    public LrSchedule schedule() {
        return schedule;
    }

    /** Names of the parameters this optimiser updates, in order. */
    public List<String> parameterNames() {
        return List.copyOf(names);
    }

    /** Writes the step count and both moments of every parameter. */
    public void save(OutputStream os) throws IOException {
        DataOutputStream dos = new DataOutputStream(os);
        dos.writeUTF(MAGIC);
        dos.writeInt(VERSION);
        dos.writeLong(updates);
        dos.writeInt(params.size());
        for (int i = 0; i < params.size(); i++) {
            dos.writeUTF(names.get(i));
            writeArray(dos, means[i]);
            writeArray(dos, variances[i]);
        }
        dos.flush();
    }

    private static void writeArray(DataOutputStream dos, NDArray a) throws IOException {
        byte[] b = a.encode();
        dos.writeInt(b.length);
        dos.write(b);
    }

    /**
     * Restores what {@link #save} wrote; the parameter names and shapes must match.
     *
     * @throws RetouchException if the state belongs to another network or is damaged
     */
    public void load(InputStream is, String who) throws IOException {
        DataInputStream dis = new DataInputStream(is);
        try {
            if (!MAGIC.equals(dis.readUTF()) || dis.readInt() != VERSION) {
                throw new RetouchException("optimizer state " + who + " is not a Retouch Adam state (version " + VERSION + "); delete the checkpoint to start over");
            }
            long n = dis.readLong();
            int count = dis.readInt();
            if (count != params.size()) {
                throw new RetouchException("optimizer state " + who + " has " + count + " parameters but the network has "
                        + params.size() + "; the checkpoint belongs to another network: use a new run folder");
            }
            Map<String, NDArray[]> loaded = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = dis.readUTF();
                NDArray m = stateManager.decode(readBytes(dis));
                NDArray v = stateManager.decode(readBytes(dis));
                loaded.put(name, new NDArray[] {m, v});
            }
            for (int i = 0; i < params.size(); i++) {
                NDArray[] mv = loaded.get(names.get(i));
                long[] shape = params.get(i).getArray().getShape().getShape();
                if (mv == null || !Arrays.equals(shape, mv[0].getShape().getShape()) || !Arrays.equals(shape, mv[1].getShape().getShape())) {
                    throw new RetouchException("optimizer state " + who + " does not match parameter '" + names.get(i)
                            + "'; the checkpoint belongs to another network: use a new run folder");
                }
            }
            for (int i = 0; i < params.size(); i++) {
                NDArray[] mv = loaded.get(names.get(i));
                means[i].close();
                variances[i].close();
                means[i] = mv[0];
                variances[i] = mv[1];
            }
            updates = n;
            lastLr = n > 0 ? schedule.at(n) : 0f;
        } catch (java.io.EOFException e) {
            throw new RetouchException("optimizer state " + who + " is truncated; delete the checkpoint to start over", e);
        }
    }

    private static byte[] readBytes(DataInputStream dis) throws IOException {
        int len = dis.readInt();
        if (len < 0 || len > (1 << 30)) {
            throw new java.io.EOFException("bad array length " + len);
        }
        byte[] b = new byte[len];
        dis.readFully(b);
        return b;
    }

    /** Frees the moment arrays. */
    @Override
    public void close() {
        stateManager.close();
    }

    /** Builder for {@link Adam}; {@code opt*} setters as in DJL. */
    public static final class Builder {
        private LrSchedule schedule = LrSchedule.constant(1e-3f);
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;
        private float weightDecay;
        private boolean decoupled;
        private final List<Pair<java.util.function.Predicate<String>, Float>> lrScales = new ArrayList<>();

        Builder() {}

        public Builder optLearningRate(float lr) { schedule = LrSchedule.constant(lr); return this; }
        public Builder optLearningRate(LrSchedule s) { schedule = s; return this; }
        public Builder optBeta1(float b) { beta1 = b; return this; }

        /**
         * Parameters whose name {@code which} accepts learn at {@code scale} × the scheduled rate
         * (the last matching rule wins): e.g. trained weights more slowly than blocks just added.
         */
        public Builder optLrScale(java.util.function.Predicate<String> which, float scale) {
            if (!(scale >= 0)) throw new IllegalArgumentException("learning-rate scale must be at least 0, got " + scale);
            lrScales.add(new Pair<>(which, scale));
            return this;
        }
        public Builder optBeta2(float b) { beta2 = b; return this; }
        public Builder optEpsilon(float e) { epsilon = e; return this; }
        /** L2 penalty added to the gradient (torch Adam's {@code weight_decay}). */
        public Builder optWeightDecay(float wd) { weightDecay = wd; decoupled = false; return this; }
        /** Decoupled weight decay (torch {@code AdamW}). */
        public Builder optDecoupledWeightDecay(float wd) { weightDecay = wd; decoupled = true; return this; }

        /** An optimiser over {@code block}'s trainable parameters (the block must be initialised). */
        public Adam build(Block block) {
            return new Adam(this, block);
        }
    }
}
