package cs4j.ops;

import static cs4j.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cs4j.autograd.GradCheck;
import cs4j.tensor.Rng;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * conv2d over kernels 1, 3, 5, strides 1, 2, paddings 0, 1, 2, with and without bias, on non-square
 * inputs x [2, 3, H, W] with w [4, 3, R, R]. The forward is compared with a direct six-loop sum in
 * double (tolerance 1e-5 relative + 1e-5 absolute: float accumulation over C·R·S ≤ 75 terms of
 * O(1)). The backward is checked element by element: conv is linear in x and in w, so central
 * differences are exact up to float rounding: step 0.5, tolerance 3e-5 (observed ≤ 2.5e-6; the
 * headroom is for GEMM/conv kernels that sum in another order).
 */
class ConvGradTest {
  private static final double EPS = 0.5;
  private static final double TOL = 3e-5;

  @ParameterizedTest(name = "kernel {0}, stride {1}, pad {2}, bias {3}, H×W {4}×{5}")
  @CsvSource({
    "1, 1, 0, true, 5, 4",
    "1, 2, 0, false, 5, 5",
    "3, 1, 1, false, 5, 7",
    "3, 1, 0, true, 4, 6",
    "3, 2, 1, true, 7, 5",
    "3, 2, 0, false, 6, 7",
    "3, 1, 2, true, 3, 4",
    "5, 1, 2, true, 6, 5",
    "5, 2, 2, false, 7, 6",
    "5, 1, 0, false, 5, 7"
  })
  void forwardAndGradient(int kernel, int stride, int pad, boolean withBias, int h, int w) {
    Rng rng = new Rng(41L * kernel + 7L * stride + pad + h * 100L + w * 1000L);
    Tensor x = GradInputs.normal(rng, 1f, 2, 3, h, w);
    Tensor wt = GradInputs.normal(rng, 0.3f, 4, 3, kernel, kernel);
    Tensor b = withBias ? GradInputs.normal(rng, 1f, 4) : null;

    Tensor y = Ops.conv2d(x, wt, b, stride, pad);
    int p = (h + 2 * pad - kernel) / stride + 1;
    int q = (w + 2 * pad - kernel) / stride + 1;
    assertEquals(Shape.of(2, 4, p, q), y.shape(), "conv2d output shape");
    assertClose(direct(x, wt, b, stride, pad, p, q), y, 1e-5, 1e-5, "conv2d forward");

    Tensor[] inputs = withBias ? new Tensor[] {x, wt, b} : new Tensor[] {x, wt};
    GradCheck.checkElementwise(
            in -> Ops.conv2d(in[0], in[1], withBias ? in[2] : null, stride, pad), inputs, EPS, 1)
        .assertBelow(TOL);
  }

  /**
   * y[n, k, i, j] = b[k] + Σ_{c, r, s} x[n, c, i·stride − pad + r, j·stride − pad + s]·w[k, c, r,
   * s].
   */
  private static float[] direct(Tensor x, Tensor w, Tensor b, int stride, int pad, int p, int q) {
    int n = x.dim(0);
    int c = x.dim(1);
    int h = x.dim(2);
    int wd = x.dim(3);
    int k = w.dim(0);
    int r = w.dim(2);
    float[] xs = x.toArray();
    float[] ws = w.toArray();
    float[] bs = b == null ? new float[k] : b.toArray();
    float[] y = new float[n * k * p * q];
    for (int in = 0; in < n; in++) {
      for (int ik = 0; ik < k; ik++) {
        for (int i = 0; i < p; i++) {
          for (int j = 0; j < q; j++) {
            double acc = bs[ik];
            for (int ic = 0; ic < c; ic++) {
              for (int dr = 0; dr < r; dr++) {
                for (int ds = 0; ds < r; ds++) {
                  int hh = i * stride - pad + dr;
                  int ww = j * stride - pad + ds;
                  if (hh >= 0 && hh < h && ww >= 0 && ww < wd) {
                    acc +=
                        (double) xs[((in * c + ic) * h + hh) * wd + ww]
                            * ws[((ik * c + ic) * r + dr) * r + ds];
                  }
                }
              }
            }
            y[((in * k + ik) * p + i) * q + j] = (float) acc;
          }
        }
      }
    }
    return y;
  }
}
