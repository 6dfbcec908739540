package retouch.degrade;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import retouch.image.Image;

/**
 * Several degradations applied in order (e.g. blur, then downsample, then noise, then JPEG:
 * the classical SR degradation model y = (x ⊗ k)↓s + n). All draw from one generator, so a seed
 * fixes the whole chain. The spec is the members' specs joined by commas.
 */
public final class Chain implements Degradation {
    private final List<Degradation> steps;

    public Chain(List<Degradation> steps) {
        if (steps.isEmpty()) throw new IllegalArgumentException("a chain needs at least one degradation");
        this.steps = List.copyOf(steps);
    }

    public Chain(Degradation... steps) {
        this(List.of(steps));
    }

    public List<Degradation> steps() { return steps; }

    @Override
    public Image apply(Image clean, SplittableRandom rng) {
        return applyWithMask(clean, rng).image();
    }

    /** The final image, and the mask of the last masking step, if any (at the size it was applied). */
    @Override
    public Degraded applyWithMask(Image clean, SplittableRandom rng) {
        Image cur = clean;
        Image mask = null;
        for (Degradation d : steps) {
            Degraded r = d.applyWithMask(cur, rng);
            cur = r.image();
            if (r.hasMask()) mask = r.mask();
        }
        return new Degraded(cur, mask);
    }

    @Override
    public String spec() {
        return steps.stream().map(Degradation::spec).collect(Collectors.joining(","));
    }

    @Override
    public String toString() { return spec(); }
}
