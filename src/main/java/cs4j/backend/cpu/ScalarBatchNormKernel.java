package cs4j.backend.cpu;

/** {@link BatchNormKernel} in plain Java: the reference and the fallback. */
final class ScalarBatchNormKernel implements BatchNormKernel {
  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void affine(
      float[] x, float[] y, int from, int to, float scale, float shift, boolean relu) {
    for (int j = from; j < to; j++) {
      float v = x[j] * scale + shift;
      y[j] = relu ? Math.max(v, 0f) : v;
    }
  }

  @Override
  public void addGradientSums(
      float[] dY, float[] y, float[] x, int from, int to, float mean, float invStd, double[] sums) {
    double g0 = 0;
    double g1 = 0;
    double g2 = 0;
    double g3 = 0;
    double p0 = 0;
    double p1 = 0;
    double p2 = 0;
    double p3 = 0;
    int j = from;
    for (; j + CpuBatchNorm.LANES <= to; j += CpuBatchNorm.LANES) {
      float a0 = gradient(dY, y, j);
      float a1 = gradient(dY, y, j + 1);
      float a2 = gradient(dY, y, j + 2);
      float a3 = gradient(dY, y, j + 3);
      g0 += a0;
      g1 += a1;
      g2 += a2;
      g3 += a3;
      p0 += a0 * ((x[j] - mean) * invStd);
      p1 += a1 * ((x[j + 1] - mean) * invStd);
      p2 += a2 * ((x[j + 2] - mean) * invStd);
      p3 += a3 * ((x[j + 3] - mean) * invStd);
    }
    for (; j < to; j++) {
      float a = gradient(dY, y, j);
      g0 += a;
      p0 += a * ((x[j] - mean) * invStd);
    }
    sums[0] += (g0 + g1) + (g2 + g3);
    sums[1] += (p0 + p1) + (p2 + p3);
  }

  @Override
  public void inputGradient(
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
      float sumGXhat) {
    for (int j = from; j < to; j++) {
      float xhat = (x[j] - mean) * invStd;
      dX[j] = k * (m * gradient(dY, y, j) - sumG - xhat * sumGXhat);
    }
  }

  /** dY[j], masked by the ReLU output y when there is one. */
  static float gradient(float[] dY, float[] y, int j) {
    return y == null || y[j] > 0f ? dY[j] : 0f;
  }
}
