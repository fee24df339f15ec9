package cs4j.backend.cpu;

/**
 * Batch normalisation over x viewed as [N, C, L] (L = H·W; L = 1 for [N, C] input). Channels are
 * split over the threads; each channel's sums run in a fixed order in double precision.
 */
final class CpuBatchNorm {
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
              for (int j = base; j < base + l; j++) {
                sum += x[j];
              }
            }
            double mean = sum / m;
            double sq = 0;
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              for (int j = base; j < base + l; j++) {
                double d = x[j] - mean;
                sq += d * d;
              }
            }
            double var = sq / m;
            double invStd = 1.0 / Math.sqrt(var + eps);
            saveMean[c] = (float) mean;
            saveInvStd[c] = (float) invStd;
            float scale = (float) (gamma[c] * invStd);
            float shift = (float) (beta[c] - mean * gamma[c] * invStd);
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              for (int j = base; j < base + l; j++) {
                y[j] = x[j] * scale + shift;
              }
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
              for (int j = base; j < base + l; j++) {
                y[j] = x[j] * scale + shift;
              }
            }
          }
        });
  }

  static void backward(
      ParallelFor par,
      int n,
      int channels,
      int l,
      float[] x,
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
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              for (int j = base; j < base + l; j++) {
                sumDy += dY[j];
                sumDyXhat += dY[j] * ((x[j] - mean) * invStd);
              }
            }
            dGamma[c] = (float) sumDyXhat;
            dBeta[c] = (float) sumDy;
            // dX = γ·invStd/M · (M·dY − Σ dY − x̂·Σ dY·x̂)
            float k = (float) (gamma[c] * invStd / m);
            float sDy = (float) sumDy;
            float sDyXhat = (float) sumDyXhat;
            for (int i = 0; i < n; i++) {
              int base = (i * channels + c) * l;
              for (int j = base; j < base + l; j++) {
                float xhat = (x[j] - mean) * invStd;
                dX[j] = k * (m * dY[j] - sDy - xhat * sDyXhat);
              }
            }
          }
        });
  }
}
