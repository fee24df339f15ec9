package cs4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import cs4j.tensor.Tensor;

/** Numeric assertions that check shapes first and report the first bad index with both values. */
public final class TensorAssert {
  private TensorAssert() {}

  /** Every element satisfies |actual − expected| ≤ atol + rtol·|expected| (NaN matches nothing). */
  public static void assertClose(
      float[] expected, float[] actual, double rtol, double atol, String what) {
    assertEquals(expected.length, actual.length, what + ": element count");
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      double a = actual[i];
      double tol = atol + rtol * Math.abs(e);
      if (!(Math.abs(a - e) <= tol)) {
        fail(
            String.format(
                "%s: first mismatch at index %d of %d: expected %s, actual %s (|diff| %.3g > tol"
                    + " %.3g = atol %.1g + rtol %.1g·|expected|)",
                what, i, expected.length, e, a, Math.abs(a - e), tol, atol, rtol));
      }
    }
  }

  public static void assertClose(
      Tensor expected, Tensor actual, double rtol, double atol, String what) {
    assertEquals(expected.shape(), actual.shape(), what + ": shape");
    assertClose(expected.toArray(), actual.toArray(), rtol, atol, what);
  }

  /** Compares with a float[] whose shape is given separately (e.g. from a fixture). */
  public static void assertClose(
      float[] expected, Tensor actual, double rtol, double atol, String what) {
    assertClose(expected, actual.toArray(), rtol, atol, what);
  }
}
