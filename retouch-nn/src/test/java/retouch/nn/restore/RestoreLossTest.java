package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import retouch.RetouchException;
import retouch.nn.Engines;

/** The restoration losses, on known answers. */
class RestoreLossTest {

    @Test
    void psnrLossIsMinusTheMeanGainInDecibels() {
        Engines.init();
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(2, 1, 4, 4);
            NDArray clean = m.full(shape, 0.5f);
            // patch 0 has error 0.1, patch 1 a hundred times less (a nearly clean patch)
            NDArray input = m.create(new float[32], shape).add(clean);
            float[] in = input.toFloatArray();
            for (int i = 0; i < 16; i++) in[i] += 0.1f;
            for (int i = 16; i < 32; i++) in[i] += 0.001f;
            input = m.create(in, shape);
            // the output halves the first patch's error (+6.02 dB) and doubles the second's (-6.02 dB): no gain on average
            float[] o = in.clone();
            for (int i = 0; i < 16; i++) o[i] = 0.5f + 0.05f;
            for (int i = 16; i < 32; i++) o[i] = 0.5f + 0.002f;
            NDArray out = m.create(o, shape);
            assertEquals(0, RestoreTraining.loss("psnr", out, clean, input).getFloat(), 1e-3);
            // where L2 calls it a clear gain: the big patch's error dominates
            assertEquals((0.05 * 0.05 + 0.002 * 0.002) / 2, RestoreTraining.loss("l2", out, clean, input).getFloat(), 1e-7);
            // the input itself scores 0 dB; halving every error scores -6.02 dB
            assertEquals(0, RestoreTraining.loss("psnr", input, clean, input).getFloat(), 1e-4);
            float[] half = in.clone();
            for (int i = 0; i < 32; i++) half[i] = 0.5f + (in[i] - 0.5f) / 2;
            assertEquals(-20 * Math.log10(2), RestoreTraining.loss("psnr", m.create(half, shape), clean, input).getFloat(), 1e-3);
            assertEquals((0.05 + 0.0005) / 2, RestoreTraining.loss("l1", m.create(half, shape), clean, input).getFloat(), 1e-6);
        }
    }

    @Test
    void unknownLossIsRefused() {
        RetouchException e = assertThrows(RetouchException.class, () -> new RestoreTraining.Config("jpeg", 1, 5, 8, 32, 4, 5,
                1e-3f, 1e-5f, 10, 50, "test", "ssim"));
        assertEquals("--loss must be one of l2, l1, psnr, not ssim", e.getMessage());
    }
}
