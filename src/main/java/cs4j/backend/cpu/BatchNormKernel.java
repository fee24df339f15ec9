package cs4j.backend.cpu;

/**
 * The row-level passes of {@link CpuBatchNorm} over one row [from, to) of a channel: the sums that
 * give the statistics and gradients, the affine output and the input gradient. {@link
 * ScalarBatchNormKernel} is the reference and the fallback; {@link VectorBatchNormKernel} runs on
 * SIMD vectors. The element-wise passes ({@link #affine}, {@link #inputGradient}) give the same
 * bits in both; the sums differ by rounding only (float partials per lane in the vector kernel).
 * Each sum's order depends on the row alone, never on the thread count.
 */
interface BatchNormKernel {
  /** Names the implementation, for logs and tests. */
  String name();

  /** Σ x[j] over [from, to), in double. */
  double sum(float[] x, int from, int to);

  /** Σ (x[j] − mean)² over [from, to). */
  double squaredDeviations(float[] x, int from, int to, double mean);

  /**
   * Adds Σ g[gFrom + i] to {@code sums[0]} and Σ g[gFrom + i]·x̂[from + i] to {@code sums[1]} over
   * i in [0, len), x̂ = (x − mean)·invStd in float, in one pass.
   */
  void addGradientSums(
      float[] g, int gFrom, float[] x, int from, int len, float mean, float invStd, double[] sums);

  /**
   * y = x·scale + shift (+ r when residual is non-null), then max(·, 0) when relu, over [from, to).
   */
  void affine(
      float[] x,
      float[] residual,
      float[] y,
      int from,
      int to,
      float scale,
      float shift,
      boolean relu);

  /**
   * dX[j] = k·(m·g[j + gShift] − sumDy − x̂[j]·sumDyXhat) over [from, to), x̂ = (x − mean)·invStd:
   * the input gradient given the channel's sums Σ g and Σ g·x̂ (as floats) and k = γ·invStd/m.
   */
  void inputGradient(
      float[] x,
      float[] g,
      int gShift,
      float[] dX,
      int from,
      int to,
      float mean,
      float invStd,
      float k,
      float m,
      float sumDy,
      float sumDyXhat);
}
