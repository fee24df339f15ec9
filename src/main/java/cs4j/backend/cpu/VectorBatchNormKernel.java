package cs4j.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchNormKernel} on {@link FloatVector}s, branch-free: a compare mask on the ReLU output
 * selects dY or 0 per lane. The elementwise passes use the preferred width. The sums keep the
 * scalar kernel's four interleaved double lanes as one 4-lane {@link DoubleVector} (4 floats
 * widened per step), so they add the same values in the same order. Tails shorter than a vector run
 * through {@link ScalarBatchNormKernel}.
 *
 * <p>NOTE: this class links against jdk.incubator.vector; {@link VectorKernels} loads it by name.
 */
final class VectorBatchNormKernel implements BatchNormKernel {
  private static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> SUM_FLOATS = FloatVector.SPECIES_128;
  private static final VectorSpecies<Double> SUM_LANES = DoubleVector.SPECIES_256;

  private final ScalarBatchNormKernel tail = new ScalarBatchNormKernel();

  VectorBatchNormKernel() {
    if (SUM_FLOATS.length() != CpuBatchNorm.LANES || SUM_LANES.length() != CpuBatchNorm.LANES) {
      throw new IllegalStateException("the sums need " + CpuBatchNorm.LANES + " lanes");
    }
  }

  @Override
  public String name() {
    return "vector (" + WIDE + ")";
  }

  @Override
  public void affine(
      float[] x, float[] y, int from, int to, float scale, float shift, boolean relu) {
    int j = from;
    for (int end = from + WIDE.loopBound(to - from); j < end; j += WIDE.length()) {
      FloatVector v = FloatVector.fromArray(WIDE, x, j).mul(scale).add(shift);
      (relu ? v.max(0f) : v).intoArray(y, j); // max as Math.max: NaN stays NaN
    }
    tail.affine(x, y, j, to, scale, shift, relu);
  }

  @Override
  public void addGradientSums(
      float[] dY, float[] y, float[] x, int from, int to, float mean, float invStd, double[] sums) {
    DoubleVector g = DoubleVector.zero(SUM_LANES);
    DoubleVector p = DoubleVector.zero(SUM_LANES);
    int j = from;
    for (int end = from + SUM_FLOATS.loopBound(to - from); j < end; j += SUM_FLOATS.length()) {
      FloatVector gj = gradient(SUM_FLOATS, dY, y, j);
      FloatVector xhat = FloatVector.fromArray(SUM_FLOATS, x, j).sub(mean).mul(invStd);
      g = g.add(gj.convertShape(VectorOperators.F2D, SUM_LANES, 0));
      p = p.add(gj.mul(xhat).convertShape(VectorOperators.F2D, SUM_LANES, 0));
    }
    double[] gl = g.toArray();
    double[] pl = p.toArray();
    for (; j < to; j++) { // the tail goes to lane 0, as in the scalar kernel
      float a = ScalarBatchNormKernel.gradient(dY, y, j);
      gl[0] += a;
      pl[0] += a * ((x[j] - mean) * invStd);
    }
    sums[0] += (gl[0] + gl[1]) + (gl[2] + gl[3]);
    sums[1] += (pl[0] + pl[1]) + (pl[2] + pl[3]);
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
    int j = from;
    for (int end = from + WIDE.loopBound(to - from); j < end; j += WIDE.length()) {
      FloatVector xhat = FloatVector.fromArray(WIDE, x, j).sub(mean).mul(invStd);
      FloatVector gj = gradient(WIDE, dY, y, j);
      gj.mul(m).sub(sumG).sub(xhat.mul(sumGXhat)).mul(k).intoArray(dX, j);
    }
    tail.inputGradient(dY, y, x, dX, j, to, mean, invStd, k, m, sumG, sumGXhat);
  }

  /** dY at [j, j + lanes), zero where the ReLU output y (if any) is not > 0 (NaN included). */
  private static FloatVector gradient(VectorSpecies<Float> s, float[] dY, float[] y, int j) {
    FloatVector g = FloatVector.fromArray(s, dY, j);
    if (y == null) {
      return g;
    }
    VectorMask<Float> on = FloatVector.fromArray(s, y, j).compare(VectorOperators.GT, 0f);
    return FloatVector.zero(s).blend(g, on);
  }
}
