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
 * generator step. Besides saving the weight-gradient work, this matters in DJL: computing D's
 * weight gradients in the G step and clearing them afterwards made native memory grow by about
 * 0.4 MB per step (measured; the gradients of separate D and G steps alone stay flat).
 * Non-trainable parameters (spectral-norm vectors, running statistics) are returned as they are,
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
        NDArray value = super.getValue(parameter, device, training);
        if (!parameter.requiresGradient()) {
            return value;
        }
        NDArray detached = value.stopGradient();
        detached.attach(scope);
        return detached;
    }
}
