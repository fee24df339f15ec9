package cs4j.backend.cpu;

/**
 * The elementwise passes of batch norm over one row [from, to) of a channel (x viewed as [N, C, L]
 * and a row being one (n, c) plane of L values), with ReLU fused in. The statistics passes stay in
 * {@link CpuBatchNorm}. {@link VectorBatchNormKernel} selects the ReLU mask lane-wise, where the
 * plain loop would branch on signs that change about half the time; {@link ScalarBatchNormKernel}
 * is the reference and the fallback. Both give the same bits: the same float operations in the same
 * order, and double sums kept in {@value CpuBatchNorm#LANES} interleaved lanes (lane k takes the
 * elements from + 4t + k, the tail adds to lane 0).
 */
interface BatchNormKernel {
  /** Names the implementation, for logs and tests. */
  String name();

  /** y = x·scale + shift, then max(·, 0) when {@code relu} (as Math.max: NaN stays NaN). */
  void affine(float[] x, float[] y, int from, int to, float scale, float shift, boolean relu);

  /**
   * Adds Σ g to {@code sums[0]} and Σ g·x̂ to {@code sums[1]}, with x̂ = (x − mean)·invStd and g·x̂
   * in float, summed in double. g = dY, or with a ReLU output {@code y} (non-null) g = (y &gt; 0 ?
   * dY : 0).
   */
  void addGradientSums(
      float[] dY, float[] y, float[] x, int from, int to, float mean, float invStd, double[] sums);

  /**
   * dX = k·(m·g − sumG − x̂·sumGXhat), with g and x̂ as in {@link #addGradientSums}: the batch-norm
   * input gradient once the channel's sums are known.
   */
  void inputGradient(
      float[] dY,
      float[] y,
      float[] x,
      float[] dX,
      int from,
      int to,
      float mean,
      float invStd,
      float k,
      float m,
      float sumG,
      float sumGXhat);
}
