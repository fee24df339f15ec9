package cs4j.ops;

import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;

/**
 * Inputs for gradient checks: seeded, and for ops with kinks (relu, max pooling) kept farther from
 * the kinks than any finite-difference step the tests take.
 */
final class GradInputs {
  private GradInputs() {}

  /** N(0, std²) entries, requiring a gradient. */
  static Tensor normal(Rng rng, float std, int... dims) {
    return Tensor.normal(rng, 0f, std, dims).requiresGrad(true);
  }

  /** Like {@link #normal} but every |x| ≥ margin: relu's kink at 0 is out of reach of ±margin. */
  static Tensor awayFromZero(Rng rng, float margin, int... dims) {
    float[] a = Tensor.normal(rng, 0f, 1f, dims).toArray();
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.copySign(margin + Math.abs(a[i]), a[i]);
    }
    return Tensor.of(a, dims).requiresGrad(true);
  }

  /**
   * A random permutation of {0, gap, 2·gap, ...} (centred): all values distinct and at least {@code
   * gap} apart, so a step below gap/2 never changes which element of a window is the maximum.
   */
  static Tensor distinct(Rng rng, float gap, int... dims) {
    float[] a = new float[Tensor.zeros(dims).numel()];
    for (int i = 0; i < a.length; i++) {
      a[i] = (i - a.length / 2) * gap;
    }
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      float t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return Tensor.of(a, dims).requiresGrad(true);
  }

  /** Class indices in [0, classes), stored as floats. */
  static Tensor labels(Rng rng, int n, int classes) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.nextInt(classes);
    }
    return Tensor.of(a, n);
  }
}
