package cs4j.backend.cpu;

/**
 * {@link BatchNormKernel} in plain Java: the reference and the fallback. Each sum over a row is
 * kept as {@value #LANES} interleaved double partial sums, added at the row's end. With a single
 * accumulator every element waited for the previous add (one dependency chain, about 4 cycles per
 * element), and the reductions were latency-bound.
 */
final class ScalarBatchNormKernel implements BatchNormKernel {
  private static final int LANES = 4;

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public double sum(float[] x, int from, int to) {
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

  @Override
  public double squaredDeviations(float[] x, int from, int to, double mean) {
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

  @Override
  public void addGradientSums(
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

  @Override
  public void affine(
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

  @Override
  public void inputGradient(
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
      float sumDyXhat) {
    for (int j = from; j < to; j++) {
      float xhat = (x[j] - mean) * invStd;
      dX[j] = k * (m * g[gShift + j] - sumDy - xhat * sumDyXhat);
    }
  }
}
