package cs4j.backend.cpu;

import cs4j.backend.cpu.ThreadScratch.Slot;

/**
 * Batch normalisation over x viewed as [N, C, L] (L = H·W; L = 1 for [N, C] input), optionally
 * followed in the same pass by a residual sum r [N, C, L] and ReLU: y = max(bn(x) + r, 0). The
 * backward of max(bn(x), 0) masks dY by y &gt; 0 one channel at a time into per-thread scratch [N,
 * L] (the vector {@link ActivationKernel}; a cache-sized block, not a tensor), read by the plain
 * sums and dX passes. Channels are split over the threads; each channel's sums are accumulated in
 * double in a fixed order, so results are those of the separate ops, bit for bit, for any thread
 * count. The passes over each row run in {@link #KERNEL}.
 */
final class CpuBatchNorm {
  /** The row kernels: vector when {@link VectorKernels} allows it, else scalar. */
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
              sum += KERNEL.sum(x, base, base + l);
            }
            double mean = sum / m;
            double sq = 0;
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              sq += KERNEL.squaredDeviations(x, base, base + l, mean);
            }
            double var = sq / m;
            double invStd = 1.0 / Math.sqrt(var + eps);
            saveMean[c] = (float) mean;
            saveInvStd[c] = (float) invStd;
            float scale = (float) (gamma[c] * invStd);
            float shift = (float) (beta[c] - mean * gamma[c] * invStd);
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              KERNEL.affine(x, residual, y, base, base + l, scale, shift, relu);
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
              KERNEL.affine(x, residual, y, base, base + l, scale, shift, relu);
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
              KERNEL.addGradientSums(g, at, x, base, l, mean, invStd, sums);
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
              KERNEL.inputGradient(
                  x, g, shift, dX, base, base + l, mean, invStd, k, m, sDy, sDyXhat);
            }
          }
        });
  }
}
