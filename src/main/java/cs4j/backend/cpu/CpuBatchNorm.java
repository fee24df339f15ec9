package cs4j.backend.cpu;

import cs4j.backend.cpu.ThreadScratch.Slot;

/**
 * Batch normalisation over x viewed as [N, C, L] (L = H·W; L = 1 for [N, C] input), optionally
 * followed in the same pass by a residual sum r [N, C, L] and ReLU: y = max(bn(x) + r, 0). The
 * backward of max(bn(x), 0) masks dY by y &gt; 0 one channel at a time into per-thread scratch [N,
 * L] (the vector {@link ActivationKernel}; a cache-sized block, not a tensor), read by the plain
 * sums and dX passes. Channels are split over the threads; each channel's sums run in a fixed order
 * in double precision, so results are those of the separate ops, bit for bit.
 *
 * <p>Each sum over a row of L values is kept as {@value #LANES} interleaved partial sums, added at
 * the row's end. With a single accumulator every element waited for the previous add (one
 * dependency chain, about 4 cycles per element), and the reductions were latency-bound.
 */
final class CpuBatchNorm {
  private static final int LANES = 4;

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
      float[] residual,
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
              affine(x, residual, y, base, base + l, scale, shift, relu);
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
      float[] residual,
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
              affine(x, residual, y, base, base + l, scale, shift, relu);
            }
          }
        });
  }

  /**
   * With the ReLU output reluOut (non-null), the backward of max(bn(x), 0); with null, of bn(x).
   */
  static void backward(
      ParallelFor par,
      int n,
      int channels,
      int l,
      float[] x,
      float[] reluOut,
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
            // g = dY, or dY masked by the ReLU output into this channel's rows [N, L] of scratch
            float[] g = reluOut == null ? dY : ThreadScratch.get(Slot.BN_MASKED_CHANNEL, n * l);
            double[] sums = new double[2]; // Σ g, Σ g·x̂
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              int at = reluOut == null ? base : i * l;
              if (reluOut != null) {
                CpuBackend.ACTIVATIONS.reluBackward(reluOut, dY, base, base + l, g, at);
              }
              addGradientSums(g, at, x, base, l, mean, invStd, sums);
            }
            double sumDy = sums[0];
            double sumDyXhat = sums[1];
            dGamma[c] = (float) sumDyXhat;
            dBeta[c] = (float) sumDy;
            // dX = γ·invStd/M · (M·dY − Σ dY − x̂·Σ dY·x̂)
            float k = (float) (gamma[c] * invStd / m);
            float sDy = (float) sumDy;
            float sDyXhat = (float) sumDyXhat;
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              int shift = reluOut == null ? 0 : i * l - base;
              for (int j = base; j < base + l; j++) {
                float xhat = (x[j] - mean) * invStd;
                dX[j] = k * (m * g[shift + j] - sDy - xhat * sDyXhat);
              }
            }
          }
        });
  }

  /** y = x·scale + shift (+ r when residual is non-null), then max(·, 0) when relu. */
  private static void affine(
      float[] x,
      float[] residual,
      float[] y,
      int from,
      int to,
      float scale,
      float shift,
      boolean relu) {
    if (residual == null) {
      for (int j = from; j < to; j++) {
        float v = x[j] * scale + shift;
        y[j] = relu ? Math.max(v, 0f) : v;
      }
    } else {
      for (int j = from; j < to; j++) {
        float v = x[j] * scale + shift + residual[j];
        y[j] = relu ? Math.max(v, 0f) : v;
      }
    }
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

  /**
   * Adds Σ g[gFrom + i] to {@code sums[0]} and Σ g[gFrom + i]·x̂[from + i] to {@code sums[1]} over
   * i in [0, len), x̂ = (x − mean)·invStd in float, summed in double, in one pass.
   */
  private static void addGradientSums(
      float[] g, int gFrom, float[] x, int from, int len, float mean, float invStd, double[] sums) {
    int to = from + len;
    int shift = gFrom - from;
    double d0 = 0;
    double d1 = 0;
    double d2 = 0;
    double d3 = 0;
    double p0 = 0;
    double p1 = 0;
    double p2 = 0;
    double p3 = 0;
    int j = from;
    for (; j + LANES <= to; j += LANES) {
      float g0 = g[shift + j];
      float g1 = g[shift + j + 1];
      float g2 = g[shift + j + 2];
      float g3 = g[shift + j + 3];
      d0 += g0;
      d1 += g1;
      d2 += g2;
      d3 += g3;
      p0 += g0 * ((x[j] - mean) * invStd);
      p1 += g1 * ((x[j + 1] - mean) * invStd);
      p2 += g2 * ((x[j + 2] - mean) * invStd);
      p3 += g3 * ((x[j + 3] - mean) * invStd);
    }
    for (; j < to; j++) {
      d0 += g[shift + j];
      p0 += g[shift + j] * ((x[j] - mean) * invStd);
    }
    sums[0] += (d0 + d1) + (d2 + d3);
    sums[1] += (p0 + p1) + (p2 + p3);
  }
}
