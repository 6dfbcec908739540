package retouch.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The 2-D discrete Fourier transform of a real image batch and its inverse, computed with real
 * matrix products over the last two axes, orthonormally scaled (as {@code torch.fft.rfft2(…,
 * norm="ortho")}).
 *
 * <p>Why not the engine's FFT: the forward transform works, but the way back from two real planes to
 * a complex array ({@code view_as_complex} in libtorch 2.7) has no gradient, so a trainable spectral
 * layer cannot be built from it. At the sizes where this is used (the bottom of a U-Net: 16–64 pixels
 * on a side) the matrix products cost less than the convolutions around them.
 *
 * <p>Layout: an {@code (…, H, W)} array becomes a real part and an imaginary part, each
 * {@code (…, H, W/2 + 1)}; {@link #inverse} takes them back to {@code (…, H, W)}. Only the
 * non-negative horizontal frequencies are kept, as the spectrum of a real image is Hermitian.
 */
public final class RealDft {
    private RealDft() {}

    /** Real and imaginary parts of an image batch's spectrum. */
    public record Spectrum(NDArray real, NDArray imag) {}

    /** The orthonormal 2-D spectrum of {@code x} over its last two axes. */
    public static Spectrum forward(NDArray x) {
        long[] s = x.getShape().getShape();
        int h = Math.toIntExact(s[s.length - 2]), w = Math.toIntExact(s[s.length - 1]);
        NDManager m = x.getManager();
        float scale = (float) (1 / Math.sqrt((double) h * w));
        // Along W: x·e^{-2πi lw/W} = A − iB with A = x·Cw, B = x·Sw.
        NDArray a = x.matMul(basis(m, w, w / 2 + 1, false, scale, false));
        NDArray b = x.matMul(basis(m, w, w / 2 + 1, true, scale, false));
        // Along H: (Ch − iSh)(A − iB) = ChA − ShB − i(ChB + ShA); Ch and Sh are symmetric.
        NDArray ch = basis(m, h, h, false, 1f, false), sh = basis(m, h, h, true, 1f, false);
        NDArray real = ch.matMul(a).sub(sh.matMul(b));
        NDArray imag = ch.matMul(b).add(sh.matMul(a)).neg();
        return new Spectrum(real, imag);
    }

    /**
     * The real image of width {@code w} whose orthonormal spectrum is {@code (real, imag)}; the
     * imaginary parts of the frequencies that must be real (0 and, for even {@code w}, W/2) are
     * ignored, as {@code irfft} does.
     */
    public static NDArray inverse(NDArray real, NDArray imag, int w) {
        long[] s = real.getShape().getShape();
        int h = Math.toIntExact(s[s.length - 2]);
        NDManager m = real.getManager();
        float scale = (float) (1 / Math.sqrt((double) h * w));
        // Along H: (Ch + iSh)(R + iI) = ChR − ShI + i(ChI + ShR).
        NDArray ch = basis(m, h, h, false, 1f, false), sh = basis(m, h, h, true, 1f, false);
        NDArray gr = ch.matMul(real).sub(sh.matMul(imag));
        NDArray gi = ch.matMul(imag).add(sh.matMul(real));
        // Along W: Σ_l α_l (Gr cos − Gi sin), α = 1 at l = 0 and W/2 (even W), else 2.
        return gr.matMul(basis(m, w / 2 + 1, w, false, scale, true)).sub(gi.matMul(basis(m, w / 2 + 1, w, true, scale, true)));
    }

    /**
     * {@code rows × cols} matrix of cos (or sin) 2π·r·c / n, n the spatial size: forward bases are
     * (n, frequencies), inverse ones (frequencies, n) with the Hermitian weights α folded in.
     */
    static NDArray basis(NDManager m, int rows, int cols, boolean sine, float scale, boolean inverse) {
        int n = inverse ? cols : rows;
        float[] v = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int freq = inverse ? r : c, pos = inverse ? c : r;
                double angle = 2 * Math.PI * ((long) freq * pos % n) / n;
                double alpha = inverse ? (freq == 0 || 2 * freq == n ? 1 : 2) : 1;
                v[r * cols + c] = (float) (scale * alpha * (sine ? Math.sin(angle) : Math.cos(angle)));
            }
        }
        return m.create(v, new ai.djl.ndarray.types.Shape(rows, cols));
    }
}
