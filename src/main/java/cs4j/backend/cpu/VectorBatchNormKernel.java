package cs4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchNormKernel} on {@link FloatVector}s of the preferred width (that width only: vectors
 * of mixed widths in one JVM pollute the Vector API's type profiles and make C2 box them). The
 * element-wise passes are the scalar kernel's arithmetic lane-wise, bit for bit. A sum runs per
 * lane in float over blocks of at most {@value #BLOCK} elements of the row; after each block the
 * lanes are added to the double result in lane order, so every float partial sums at most BLOCK /
 * lanes terms and the order depends on the row alone. The tail shorter than a vector runs through
 * {@link ScalarBatchNormKernel}.
 *
 * <p>NOTE: every loop keeps its vectors inside its own method body, with no vector-valued helpers:
 * a helper that C2 compiles on its own stops being inlined and its vectors are boxed (see {@link
 * VectorMaskedWeightKernel}). This class links against jdk.incubator.vector; {@link VectorKernels}
 * loads it by name.
 */
final class VectorBatchNormKernel implements BatchNormKernel {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** Elements per float partial-sum block (all lanes together). */
  private static final int BLOCK = 512;

  private final ScalarBatchNormKernel tail = new ScalarBatchNormKernel();

  /** Refuses machines without at least 4 float lanes (SSE2, NEON and wider have them). */
  VectorBatchNormKernel() {
    if (SPECIES.length() < 4) {
      throw new UnsupportedOperationException(
          "VectorBatchNormKernel: preferred float vector has " + SPECIES.length() + " lanes");
    }
  }

  @Override
  public String name() {
    return "vector (" + SPECIES + ")";
  }

  @Override
  public double sum(float[] x, int from, int to) {
    int lanes = SPECIES.length();
    int end = from + SPECIES.loopBound(to - from);
    float[] partial = ThreadScratch.get(ThreadScratch.Slot.BN_LANES, lanes);
    double total = 0;
    int j = from;
    while (j < end) {
      int blockEnd = Math.min(end, j + BLOCK);
      FloatVector acc = FloatVector.zero(SPECIES);
      for (; j < blockEnd; j += lanes) {
        acc = acc.add(FloatVector.fromArray(SPECIES, x, j));
      }
      acc.intoArray(partial, 0);
      for (int q = 0; q < lanes; q++) {
        total += partial[q];
      }
    }
    return total + tail.sum(x, end, to);
  }

  /**
   * The deviations are taken from the mean m rounded to float, m′: over the whole channel Σ (x −
   * m′)² = Σ (x − m)² + M·(m − m′)², as Σ (x − m) = 0 there, so that rounding cancels to first
   * order once the channel's rows are added.
   */
  @Override
  public double squaredDeviations(float[] x, int from, int to, double mean) {
    int lanes = SPECIES.length();
    int end = from + SPECIES.loopBound(to - from);
    float fmean = (float) mean;
    float[] partial = ThreadScratch.get(ThreadScratch.Slot.BN_LANES, lanes);
    double total = 0;
    int j = from;
    while (j < end) {
      int blockEnd = Math.min(end, j + BLOCK);
      FloatVector acc = FloatVector.zero(SPECIES);
      for (; j < blockEnd; j += lanes) {
        FloatVector d = FloatVector.fromArray(SPECIES, x, j).sub(fmean);
        acc = acc.add(d.mul(d));
      }
      acc.intoArray(partial, 0);
      for (int q = 0; q < lanes; q++) {
        total += partial[q];
      }
    }
    return total + tail.squaredDeviations(x, end, to, mean);
  }

  @Override
  public void addGradientSums(
      float[] g, int gFrom, float[] x, int from, int len, float mean, float invStd, double[] sums) {
    int lanes = SPECIES.length();
    int end = from + SPECIES.loopBound(len);
    int shift = gFrom - from;
    float[] partial = ThreadScratch.get(ThreadScratch.Slot.BN_LANES, 2 * lanes);
    double sumG = 0;
    double sumGXhat = 0;
    int j = from;
    while (j < end) {
      int blockEnd = Math.min(end, j + BLOCK);
      FloatVector accG = FloatVector.zero(SPECIES);
      FloatVector accGXhat = FloatVector.zero(SPECIES);
      for (; j < blockEnd; j += lanes) {
        FloatVector gv = FloatVector.fromArray(SPECIES, g, shift + j);
        FloatVector xhat = FloatVector.fromArray(SPECIES, x, j).sub(mean).mul(invStd);
        accG = accG.add(gv);
        accGXhat = accGXhat.add(gv.mul(xhat));
      }
      accG.intoArray(partial, 0);
      accGXhat.intoArray(partial, lanes);
      for (int q = 0; q < lanes; q++) {
        sumG += partial[q];
        sumGXhat += partial[lanes + q];
      }
    }
    sums[0] += sumG;
    sums[1] += sumGXhat;
    tail.addGradientSums(g, shift + end, x, end, from + len - end, mean, invStd, sums);
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
    // max(v, −∞) is v itself (−0 and NaN included), so one loop serves both cases
    float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
    int end = from + SPECIES.loopBound(to - from);
    int j = from;
    if (residual == null) {
      for (; j < end; j += SPECIES.length()) {
        FloatVector.fromArray(SPECIES, x, j).mul(scale).add(shift).max(floor).intoArray(y, j);
      }
    } else {
      for (; j < end; j += SPECIES.length()) {
        FloatVector.fromArray(SPECIES, x, j)
            .mul(scale)
            .add(shift)
            .add(FloatVector.fromArray(SPECIES, residual, j))
            .max(floor)
            .intoArray(y, j);
      }
    }
    tail.affine(x, residual, y, end, to, scale, shift, relu);
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
    int end = from + SPECIES.loopBound(to - from);
    for (int j = from; j < end; j += SPECIES.length()) {
      FloatVector xhat = FloatVector.fromArray(SPECIES, x, j).sub(mean).mul(invStd);
      FloatVector.fromArray(SPECIES, g, gShift + j)
          .mul(m)
          .sub(sumDy)
          .sub(xhat.mul(sumDyXhat))
          .mul(k)
          .intoArray(dX, j);
    }
    tail.inputGradient(x, g, gShift, dX, end, to, mean, invStd, k, m, sumDy, sumDyXhat);
  }
}
