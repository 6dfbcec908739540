package retouch.nn.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * A convolution or linear layer whose weight is divided by its spectral norm (largest singular
 * value), estimated by one power-iteration step per training forward (Miyato et al. 2018,
 * "Spectral Normalization for GANs"; the same scheme as {@code torch.nn.utils.spectral_norm}).
 * It keeps the discriminator 1-Lipschitz per layer, which stabilises GAN training without a
 * gradient penalty (whose second derivatives leak memory in this engine, see DESIGN).
 *
 * <p>The power-iteration vector u is a non-trainable parameter, so it is saved with the weights
 * and a resumed run continues the same estimate. The gradient flows through σ as in PyTorch.
 */
public final class SpectralNormLayer extends AbstractBlock {

    private final boolean conv;
    private final int outputs;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean bias;
    private Parameter weight;
    private Parameter biasParam;
    private final Parameter u;

    private SpectralNormLayer(boolean conv, int outputs, int kernel, int stride, int padding, boolean bias) {
        super((byte) 1);
        this.conv = conv;
        this.outputs = outputs;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.bias = bias;
        this.u = addParameter(Parameter.builder().setName("sn_u").setType(Parameter.Type.OTHER)
                .optRequiresGrad(false).optShape(new Shape(outputs)).optInitializer(new NormalInitializer(1f)).build());
    }

    /** k×k convolution with spectral normalisation. */
    public static SpectralNormLayer conv(int filters, int kernel, int stride, int padding) {
        return new SpectralNormLayer(true, filters, kernel, stride, padding, true);
    }

    /** Fully connected layer with spectral normalisation. */
    public static SpectralNormLayer linear(int units, boolean bias) {
        return new SpectralNormLayer(false, units, 1, 1, 0, bias);
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        long fanIn = conv ? inputShapes[0].get(1) * kernel * kernel : inputShapes[0].get(inputShapes[0].dimension() - 1);
        if (weight == null) {
            Shape ws = conv ? new Shape(outputs, inputShapes[0].get(1), kernel, kernel) : new Shape(outputs, fanIn);
            // PyTorch's default init for conv and linear: U(±1/√fan_in).
            float bound = (float) (1 / Math.sqrt(fanIn));
            weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                    .optShape(ws).optInitializer(new UniformInitializer(bound)).build());
            if (bias) {
                biasParam = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                        .optShape(new Shape(outputs)).optInitializer(new UniformInitializer(bound)).build());
            }
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray wSn = normalizedWeight(ps, x.getDevice(), training, x.getManager());
        NDArray b = biasParam == null ? null : ps.getValue(biasParam, x.getDevice(), training);
        return conv
                ? Conv2d.conv2d(x, wSn, b, new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), 1)
                : Linear.linear(x, wSn, b);
    }

    /**
     * W / σ(W) in the weight's own shape; in training, first advances the power iteration by one
     * step (stored in place). Gradients flow into W through both W and σ.
     */
    public NDArray normalizedWeight(ParameterStore ps, ai.djl.Device device, boolean training) {
        return normalizedWeight(ps, device, training, null);
    }

    /**
     * As {@link #normalizedWeight(ParameterStore, ai.djl.Device, boolean)}, with every temporary in
     * {@code scope} (the step's or request's manager). Results of operations on a parameter array
     * would otherwise belong to the parameter's long-lived manager and pile up every step.
     */
    public NDArray normalizedWeight(ParameterStore ps, ai.djl.Device device, boolean training, ai.djl.ndarray.NDManager scope) {
        NDArray w = ps.getValue(weight, device, training);
        NDArray uVec = ps.getValue(u, device, false);
        NDArray wMat = w.reshape(outputs, -1);
        NDArray uCol = uVec.reshape(-1, 1);
        if (scope != null) {
            wMat.attach(scope);
            uCol.attach(scope);
        }
        NDArray wFixed = wMat.stopGradient();
        NDArray v = normalize(wFixed.transpose().matMul(uCol).reshape(-1));
        NDArray uNext = normalize(wFixed.matMul(v.reshape(-1, 1)).reshape(-1));
        if (training) {
            // In place, so the estimate carries over to the next step (and into checkpoints).
            uVec.set(uNext.toFloatArray());
        }
        NDArray sigma = uNext.dot(wMat.matMul(v.reshape(-1, 1)).reshape(-1));
        return wMat.div(sigma).reshape(w.getShape());
    }

    private static NDArray normalize(NDArray v) {
        return v.div(v.norm().add(1e-12f));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (!conv) return new Shape[] {new Shape(s.get(0), outputs)};
        long h = (s.get(2) + 2L * padding - kernel) / stride + 1;
        long w = (s.get(3) + 2L * padding - kernel) / stride + 1;
        return new Shape[] {new Shape(s.get(0), outputs, h, w)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {}
}
