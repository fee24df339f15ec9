package cs4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ActivationKernel} on {@link FloatVector}s of the preferred width, branch-free: a compare
 * mask selects g or 0 per lane. The tail shorter than a vector runs through {@link
 * ScalarActivationKernel}.
 *
 * <p>NOTE: this class links against jdk.incubator.vector; {@link VectorKernels} loads it by name.
 */
final class VectorActivationKernel implements ActivationKernel {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private final ScalarActivationKernel tail = new ScalarActivationKernel();

  @Override
  public String name() {
    return "vector (" + SPECIES + ")";
  }

  @Override
  public void reluBackward(float[] y, float[] g, int lo, int hi, float[] dx, int to) {
    FloatVector zero = FloatVector.zero(SPECIES);
    int shift = to - lo;
    int i = lo;
    for (int end = lo + SPECIES.loopBound(hi - lo); i < end; i += SPECIES.length()) {
      FloatVector vy = FloatVector.fromArray(SPECIES, y, i);
      FloatVector vg = FloatVector.fromArray(SPECIES, g, i);
      // lanes with y > 0 take g; the rest (y ≤ 0 and NaN, whose compares are false) stay 0
      zero.blend(vg, vy.compare(VectorOperators.GT, 0f)).intoArray(dx, i + shift);
    }
    tail.reluBackward(y, g, i, hi, dx, i + shift);
  }
}
