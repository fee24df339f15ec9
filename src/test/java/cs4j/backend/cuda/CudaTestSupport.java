package cs4j.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import cs4j.testing.TensorAssert;

/** Shared helpers of the CUDA tests: the skip-with-reason probe, random tensors, comparisons. */
final class CudaTestSupport {
  private CudaTestSupport() {}

  /** The CUDA backend, or a skipped test carrying the probe's reason (no driver, no GPU...). */
  static CudaBackend cudaOrSkip() {
    Cuda.Probe p = Cuda.probe();
    assumeTrue(p.available(), () -> "CUDA tests skipped: " + p.reason());
    return Cuda.backend();
  }

  static Tensor uniform(Rng rng, float lo, float hi, int... dims) {
    return Tensor.uniform(rng, lo, hi, dims);
  }

  static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /**
   * Elementwise |gpu − cpu| ≤ atolRel·max|cpu| + rtol·|cpu|: the absolute part scales with the
   * tensor so that long sums (GEMM, convolution, batch norm) are judged relative to their size.
   */
  static void assertParity(String what, Tensor cpu, Tensor gpu, double rtol, double atolRel) {
    float[] expected = cpu.toArray();
    TensorAssert.assertClose(
        expected, gpu.toArray(), rtol, atolRel * Math.max(maxAbs(expected), 1e-30), what);
  }

  /** max |a − b| / max |a|: the normwise relative error the benchmark reports. */
  static double maxRelError(float[] ref, float[] got) {
    double diff = 0;
    for (int i = 0; i < ref.length; i++) {
      double d = Math.abs((double) got[i] - ref[i]);
      diff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(diff, d);
    }
    return diff / Math.max(maxAbs(ref), 1e-30);
  }
}
