package retouch.nn.gan;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Hands out trainable parameters detached from autograd (sharing their storage), so a block can
 * be run inside another network's gradient pass without computing or accumulating gradients for
 * its own weights — PyTorch's {@code requires_grad_(False)} on the discriminator during the
 * generator step; it saves the weight-gradient work of D in every G step. Non-trainable parameters (spectral-norm vectors, running statistics) are returned as they are,
 * so their in-place updates persist.
 */
public final class FrozenParameterStore extends ParameterStore {

    private final NDManager scope;

    /** Detached views are attached to {@code scope} (the step's manager) and freed with it. */
    public FrozenParameterStore(NDManager scope) {
        super(scope, false);
        this.scope = scope;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null) return null; // a layer without bias asks for its absent bias
        NDArray value = super.getValue(parameter, device, training);
        if (!parameter.requiresGradient()) {
            return value;
        }
        NDArray detached = value.stopGradient();
        detached.attach(scope);
        return detached;
    }
}
