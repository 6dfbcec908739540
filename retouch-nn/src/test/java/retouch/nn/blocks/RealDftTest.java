package retouch.nn.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import retouch.nn.SeededManager;

/** The matrix DFT against the engine's own FFT, its inverse, and its gradient. */
class RealDftTest {

    @Test
    void forwardMatchesTheEnginesOrthonormalFft() {
        for (int[] hw : new int[][] {{8, 8}, {6, 10}, {5, 7}, {16, 12}}) {
            int h = hw[0], w = hw[1];
            try (NDManager m = SeededManager.open(3)) {
                NDArray x = m.randomNormal(new Shape(2, 3, h, w));
                RealDft.Spectrum s = RealDft.forward(x);
                assertEquals(new Shape(2, 3, h, w / 2 + 1), s.real().getShape());
                // torch.fft.rfft along W, fft along H; unscaled, so divided by √(HW) for "ortho"
                NDArray ref = x.rfft(w, -1).fft(h, 2).real().div((float) Math.sqrt(h * w));
                float dr = s.real().sub(ref.get(new NDIndex("..., 0"))).abs().max().getFloat();
                float di = s.imag().sub(ref.get(new NDIndex("..., 1"))).abs().max().getFloat();
                assertTrue(dr < 1e-4f && di < 1e-4f, h + "x" + w + ": differs from the FFT by " + dr + " / " + di);
            }
        }
    }

    @Test
    void knownAnswersAndRoundTrip() {
        try (NDManager m = SeededManager.open(4)) {
            // a constant image: all energy at frequency 0, c·√(HW) with orthonormal scaling
            RealDft.Spectrum c = RealDft.forward(m.ones(new Shape(1, 1, 4, 4)).mul(2f));
            assertEquals(8f, c.real().getFloat(0, 0, 0, 0), 1e-5f);
            assertEquals(8f, c.real().abs().sum().getFloat(), 1e-4f, "nothing but frequency 0");
            assertEquals(0f, c.imag().abs().sum().getFloat(), 1e-4f);
            for (int w : new int[] {8, 9}) {
                NDArray x = m.randomNormal(new Shape(2, 5, 6, w));
                RealDft.Spectrum s = RealDft.forward(x);
                NDArray back = RealDft.inverse(s.real(), s.imag(), w);
                assertTrue(back.sub(x).abs().max().getFloat() < 1e-4f, "width " + w + ": the inverse must give the image back");
                // orthonormal: Parseval, counting the halved spectrum's mirrored columns twice
                float energy = x.square().sum().getFloat();
                NDArray p = s.real().square().add(s.imag().square());
                float spectral = p.sum().getFloat() * 2 - p.get(new NDIndex("..., 0")).sum().getFloat()
                        - (w % 2 == 0 ? p.get(new NDIndex("..., " + (w / 2))).sum().getFloat() : 0f);
                assertEquals(energy, spectral, energy * 1e-4f, "Parseval at width " + w);
            }
        }
    }

    @Test
    void gradientsFlowThroughBothWays() {
        try (NDManager m = SeededManager.open(5)) {
            NDArray x = m.randomNormal(new Shape(1, 2, 6, 6));
            x.setRequiresGradient(true);
            try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                RealDft.Spectrum s = RealDft.forward(x);
                NDArray y = RealDft.inverse(s.real().mul(3f), s.imag().mul(3f), 6);
                gc.backward(y.square().sum());
            }
            // y = 3x, so d/dx Σ y² = 18 x
            assertTrue(x.getGradient().sub(x.mul(18f)).abs().max().getFloat() < 1e-3f, "gradient of a scaled round trip");
        }
    }
}
