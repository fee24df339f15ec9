package cs4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;

/**
 * Compares named tensors of a device run with the CPU's, normwise (‖actual − expected‖ /
 * ‖expected‖) and elementwise (|actual − expected| against atolRel·max|expected|), and reports the
 * worst tensor: its errors, its worst index with both values, and how many elements are out of
 * tolerance.
 */
public final class Parity {
  private Parity() {}

  /** The worst normwise relative error over all tensors (0 when every tensor is equal). */
  public static double worstNormwise(Map<String, float[]> expected, Map<String, float[]> actual) {
    double worst = 0;
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      worst = Math.max(worst, normwise(e.getValue(), actual.get(e.getKey())));
    }
    return worst;
  }

  /** ‖a − e‖ / ‖e‖, in double (‖a − e‖ when e is zero); infinite for NaN. */
  public static double normwise(float[] e, float[] a) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < e.length; i++) {
      double d = (double) a[i] - e[i];
      diff += d * d;
      norm += (double) e[i] * e[i];
    }
    double r = norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    return Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
  }

  /**
   * Asserts, for every tensor, normwise error ≤ {@code normwise} and every element within {@code
   * atolRel}·max|expected| of the expected value (both 0: bit for bit).
   */
  public static void assertClose(
      String what,
      Map<String, float[]> expected,
      Map<String, float[]> actual,
      double normwise,
      double atolRel) {
    assertEquals(expected.keySet(), actual.keySet(), what + ": tensor names");
    String worstName = null;
    double worstNorm = -1;
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      float[] a = actual.get(e.getKey());
      assertEquals(e.getValue().length, a.length, what + ": size of " + e.getKey());
      double n = normwise(e.getValue(), a);
      if (n > worstNorm) {
        worstNorm = n;
        worstName = e.getKey();
      }
    }
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      float[] x = e.getValue();
      float[] a = actual.get(e.getKey());
      double n = normwise(x, a);
      double max = 0;
      for (float v : x) {
        max = Math.max(max, Math.abs(v));
      }
      double atol = atolRel * max;
      int bad = 0;
      int worst = -1;
      double worstDiff = -1;
      for (int i = 0; i < x.length; i++) {
        double d = Math.abs((double) a[i] - x[i]);
        if (!(d <= atol)) {
          bad++;
        }
        if (!(d <= worstDiff)) {
          worstDiff = d;
          worst = i;
        }
      }
      if (n > normwise || bad > 0) {
        fail(
            String.format(
                "%s: tensor %s is off: normwise %.3g (tolerance %.1g), %d of %d elements beyond"
                    + " %.1g·max|expected| = %.3g; worst at index %d: expected %s, actual %s."
                    + " Worst tensor normwise: %s (%.3g)",
                what,
                e.getKey(),
                n,
                normwise,
                bad,
                x.length,
                atolRel,
                atol,
                worst,
                x[worst],
                a[worst],
                worstName,
                worstNorm));
      }
    }
  }
}
