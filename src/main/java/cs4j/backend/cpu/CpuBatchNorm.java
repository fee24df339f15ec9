package cs4j.backend.cpu;

/**
 * Batch normalisation over x viewed as [N, C, L] (L = H·W; L = 1 for [N, C] input), optionally
 * followed by ReLU in the same pass (y = max(bn(x), 0), and a backward that masks dY by y &gt; 0 as
 * it reads it). Channels are split over the threads; each channel's sums run in a fixed order in
 * double precision. The elementwise passes run in {@link #KERNEL}.
 *
 * <p>Each sum over a row of L values is kept as {@value #LANES} interleaved partial sums, added at
 * the row's end. With a single accumulator every element waited for the previous add (one
 * dependency chain, about 4 cycles per element), and the reductions were latency-bound.
 */
final class CpuBatchNorm {
  static final int LANES = 4;

  /** The elementwise passes every CpuBatchNorm call uses, chosen once. */
  static final BatchNormKernel KERNEL =
      VectorKernels.choose(
          BatchNormKernel.class, "VectorBatchNormKernel", ScalarBatchNormKernel::new);

  private CpuBatchNorm() {}

  static void train(
      ParallelFor par,
      int n,
      int channels,
      int l,
      float[] x,
      float[] gamma,
      float[] beta,
      float[] runMean,
      float[] runVar,
      float momentum,
      float eps,
      boolean relu,
      float[] y,
      float[] saveMean,
      float[] saveInvStd) {
    long m = (long) n * l;
    par.run(
        channels,
        1,
        (ch, lo, hi) -> {
          for (int c = lo; c < hi; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              sum += sum(x, base, base + l);
            }
            double mean = sum / m;
            double sq = 0;
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              sq += squaredDeviations(x, base, base + l, mean);
            }
            double var = sq / m;
            double invStd = 1.0 / Math.sqrt(var + eps);
            saveMean[c] = (float) mean;
            saveInvStd[c] = (float) invStd;
            float scale = (float) (gamma[c] * invStd);
            float shift = (float) (beta[c] - mean * gamma[c] * invStd);
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              KERNEL.affine(x, y, base, base + l, scale, shift, relu);
            }
            double unbiased = m > 1 ? sq / (m - 1) : var;
            runMean[c] = (float) ((1 - momentum) * runMean[c] + momentum * mean);
            runVar[c] = (float) ((1 - momentum) * runVar[c] + momentum * unbiased);
          }
        });
  }

  static void eval(
      ParallelFor par,
      int n,
      int channels,
      int l,
      float[] x,
      float[] gamma,
      float[] beta,
      float[] runMean,
      float[] runVar,
      float eps,
      boolean relu,
      float[] y) {
    par.run(
        channels,
        1,
        (ch, lo, hi) -> {
          for (int c = lo; c < hi; c++) {
            double invStd = 1.0 / Math.sqrt(runVar[c] + (double) eps);
            float scale = (float) (gamma[c] * invStd);
            float shift = (float) (beta[c] - runMean[c] * gamma[c] * invStd);
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              KERNEL.affine(x, y, base, base + l, scale, shift, relu);
            }
          }
        });
  }

  /** With the ReLU output y (non-null), the backward of max(bn(x), 0); with y null, of bn(x). */
  static void backward(
      ParallelFor par,
      int n,
      int channels,
      int l,
      float[] x,
      float[] y,
      float[] dY,
      float[] gamma,
      float[] saveMean,
      float[] saveInvStd,
      float[] dX,
      float[] dGamma,
      float[] dBeta) {
    long m = (long) n * l;
    par.run(
        channels,
        1,
        (ch, lo, hi) -> {
          for (int c = lo; c < hi; c++) {
            float mean = saveMean[c];
            float invStd = saveInvStd[c];
            double[] sums = new double[2]; // Σ dY, Σ dY·x̂
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              KERNEL.addGradientSums(dY, y, x, base, base + l, mean, invStd, sums);
            }
            double sumDy = sums[0];
            double sumDyXhat = sums[1];
            dGamma[c] = (float) sumDyXhat;
            dBeta[c] = (float) sumDy;
            // dX = γ·invStd/M · (M·dY − Σ dY − x̂·Σ dY·x̂)
            float k = (float) (gamma[c] * invStd / m);
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              KERNEL.inputGradient(
                  dY,
                  y,
                  x,
                  dX,
                  base,
                  base + l,
                  mean,
                  invStd,
                  k,
                  m,
                  (float) sumDy,
                  (float) sumDyXhat);
            }
          }
        });
  }

  /** Σ x[j] over [from, to), in double. */
  private static double sum(float[] x, int from, int to) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = from;
    for (; j + LANES <= to; j += LANES) {
      s0 += x[j];
      s1 += x[j + 1];
      s2 += x[j + 2];
      s3 += x[j + 3];
    }
    for (; j < to; j++) {
      s0 += x[j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Σ (x[j] − mean)² over [from, to), in double. */
  private static double squaredDeviations(float[] x, int from, int to, double mean) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = from;
    for (; j + LANES <= to; j += LANES) {
      double d0 = x[j] - mean;
      double d1 = x[j + 1] - mean;
      double d2 = x[j + 2] - mean;
      double d3 = x[j + 3] - mean;
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; j < to; j++) {
      double d = x[j] - mean;
      s0 += d * d;
    }
    return (s0 + s1) + (s2 + s3);
  }
}
