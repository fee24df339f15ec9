package cs4j.autograd;

import cs4j.backend.Backend;
import cs4j.tensor.Rng;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Checks an op's backward against central finite differences. The scalar under test is L(x) = Σ
 * f(x) ⊙ r for a fixed random r (so that errors cannot cancel in a plain sum), summed on the host
 * in double in index order. For each input that requires a gradient and each probe direction v it
 * compares the analytic directional derivative ⟨∇L, v⟩ with (L(x + εv) − L(x − εv)) / 2ε.
 *
 * <p>Two kinds of probe: {@link #check} takes a few random directions with standard normal entries
 * (every element moves at once: cheap for any size); {@link #checkElementwise} takes every unit
 * vector in turn (one element at a time: pinpoints the bad index, for small tensors).
 *
 * <p>Why the comparison is tight in float32: the perturbed inputs are rounded to float, so the
 * analytic side is taken along the step actually applied, (x₊ − x₋)/2ε, not the ideal εv; the
 * outputs that a probe does not change are bitwise equal in L(x₊) and L(x₋) and cancel exactly.
 * What remains is the truncation error O(ε²·f''') and the float rounding of the changed outputs
 * divided by 2ε: choose ε large for (piecewise) linear ops, ~1e-2 for smooth ones. NOTE: an output
 * reduced to one float scalar (a loss, a sum) resolves only ulp(L)/2ε however few inputs changed;
 * the report gives this resolution (± after the finite difference) for the worst probe.
 *
 * <p>One comparison's error is |fd − analytic| / max(|fd|, |analytic|, ‖∇L‖·‖v‖/√n): relative to
 * the value, or to the typical size of a directional derivative for this input (n elements) when
 * the value is smaller than that, so that a probe landing near a zero of ⟨∇L, v⟩ does not amplify
 * noise.
 *
 * <p>The inputs are perturbed in place and restored afterwards. f must be deterministic; ops with
 * kinks (relu, max pooling) need inputs farther than ε·|v| from them.
 */
public final class GradCheck {
  private GradCheck() {}

  /**
   * The outcome: the worst error over all probes, where it occurred, and how many probes ran.
   *
   * @param maxRelativeError the worst error as defined in the class comment (∞ if an input that
   *     requires a gradient received none)
   * @param probes how many comparisons ran (0 when no input requires a gradient)
   * @param worst the input, probe, analytic and finite-difference values of the worst comparison
   */
  public record Result(double maxRelativeError, int probes, String worst) {
    /**
     * Throws an {@link AssertionError} with this report unless some probe ran and the worst error
     * is below {@code tolerance}; returns this.
     */
    public Result assertBelow(double tolerance) {
      if (probes == 0 || !(maxRelativeError < tolerance)) {
        throw new AssertionError("gradient check failed (tolerance " + tolerance + "): " + this);
      }
      return this;
    }

    @Override
    public String toString() {
      return String.format(
          "max relative error %.3g over %d probes; worst: %s", maxRelativeError, probes, worst);
    }
  }

  /**
   * Checks along {@code directions} random directions per input. {@code eps} is the step along a
   * direction with standard normal entries.
   */
  public static Result check(
      Function<Tensor[], Tensor> f, Tensor[] inputs, double eps, int directions, long seed) {
    if (directions <= 0) {
      throw new IllegalArgumentException(
          "GradCheck: directions must be positive, got " + directions);
    }
    return run(f, inputs, eps, directions, seed);
  }

  /**
   * Checks every element of every input that requires a gradient, one at a time, with step {@code
   * eps}: two forward passes per element, so keep the inputs small.
   */
  public static Result checkElementwise(
      Function<Tensor[], Tensor> f, Tensor[] inputs, double eps, long seed) {
    return run(f, inputs, eps, 0, seed);
  }

  /** directions = 0 means elementwise. */
  private static Result run(
      Function<Tensor[], Tensor> f, Tensor[] inputs, double eps, int directions, long seed) {
    if (!(eps > 0)) {
      throw new IllegalArgumentException("GradCheck: eps must be > 0, got " + eps);
    }
    Rng rng = new Rng(seed);
    for (Tensor in : inputs) {
      if (in.requiresGrad()) {
        in.zeroGrad();
      }
    }
    Tensor y = f.apply(inputs);
    float[] r = Tensor.normal(rng, 0f, 1f, y.numel()).toArray();
    Autograd.backward(y, Tensor.of(r, y.shape().dims()).to(y.device())); // dL/dy = r

    Worst worst = new Worst();
    for (int i = 0; i < inputs.length; i++) {
      Tensor in = inputs[i];
      if (!in.requiresGrad()) {
        continue;
      }
      if (in.grad() == null) {
        if (worst.offer(Double.POSITIVE_INFINITY)) {
          worst.where = "input " + i + " " + in.shape() + ": received no gradient";
        }
        continue;
      }
      float[] x0 = in.toArray();
      try {
        probeInput(f, inputs, i, in.grad().toArray(), x0, r, eps, directions, rng, worst);
      } finally {
        restore(in, x0);
      }
    }
    return new Result(worst.error, worst.probes, worst.where);
  }

  private static void probeInput(
      Function<Tensor[], Tensor> f,
      Tensor[] inputs,
      int which,
      float[] grad,
      float[] x0,
      float[] r,
      double eps,
      int directions,
      Rng rng,
      Worst worst) {
    int n = x0.length;
    double gradNorm = 0;
    for (float g : grad) {
      gradNorm += (double) g * g;
    }
    gradNorm = Math.sqrt(gradNorm);
    boolean elementwise = directions == 0;
    int probes = elementwise ? n : directions;
    float[] plus = new float[n];
    float[] minus = new float[n];
    for (int d = 0; d < probes; d++) {
      double vNorm;
      if (elementwise) {
        System.arraycopy(x0, 0, plus, 0, n);
        System.arraycopy(x0, 0, minus, 0, n);
        plus[d] = (float) (x0[d] + eps);
        minus[d] = (float) (x0[d] - eps);
        vNorm = 1;
      } else {
        double sq = 0;
        for (int j = 0; j < n; j++) {
          double v = rng.nextGaussian();
          sq += v * v;
          plus[j] = (float) (x0[j] + eps * v);
          minus[j] = (float) (x0[j] - eps * v);
        }
        vNorm = Math.sqrt(sq);
      }
      // The analytic derivative along the step actually applied (after rounding to float).
      double analytic = 0;
      for (int j = 0; j < n; j++) {
        analytic += grad[j] * ((double) plus[j] - minus[j]);
      }
      analytic /= 2 * eps;
      float[] yPlus = outputAt(f, inputs, which, plus);
      float[] yMinus = outputAt(f, inputs, which, minus);
      double fd = (weightedSum(yPlus, r) - weightedSum(yMinus, r)) / (2 * eps);
      double diff = Math.abs(fd - analytic);
      double typical = gradNorm * vNorm / Math.sqrt(n);
      double scale = Math.max(Math.max(Math.abs(fd), Math.abs(analytic)), typical);
      double error = diff == 0 ? 0 : diff / scale;
      if (worst.offer(error)) {
        Shape shape = inputs[which].shape();
        worst.where =
            String.format(
                "input %d %s, %s: analytic %.7g, finite difference %.7g ± %.2g (error %.3g)",
                which,
                shape,
                elementwise ? "element " + coordinates(shape, d) : "direction " + d,
                analytic,
                fd,
                resolution(yPlus, yMinus, r, eps),
                error);
      }
    }
  }

  /** f(x) with input {@code which} set to {@code x}, evaluated without recording. */
  private static float[] outputAt(
      Function<Tensor[], Tensor> f, Tensor[] inputs, int which, float[] x) {
    restore(inputs[which], x);
    try (var scope = Graph.noGrad()) {
      return f.apply(inputs).toArray();
    }
  }

  /** L = Σ y ⊙ r in double, in index order. */
  private static double weightedSum(float[] y, float[] r) {
    double l = 0;
    for (int j = 0; j < y.length; j++) {
      l += (double) y[j] * r[j];
    }
    return l;
  }

  /**
   * What the float outputs let the finite difference resolve: Σ |r|·ulp(y) over the outputs the
   * probe changed, over 2ε. An error near this is rounding, not a wrong gradient (take a larger ε,
   * or avoid reducing to a float scalar); an error far above it is the backward's.
   */
  private static double resolution(float[] yPlus, float[] yMinus, float[] r, double eps) {
    double sum = 0;
    for (int j = 0; j < yPlus.length; j++) {
      if (yPlus[j] != yMinus[j]) {
        sum += Math.abs(r[j]) * Math.ulp(Math.max(Math.abs(yPlus[j]), Math.abs(yMinus[j])));
      }
    }
    return sum / (2 * eps);
  }

  private static void restore(Tensor t, float[] values) {
    Backend.of(t.device()).copy(Tensor.of(values, t.shape().dims()).to(t.device()), t);
  }

  /** The multi-index of flat index {@code flat} in {@code shape}, e.g. [1, 0, 2, 3]. */
  static String coordinates(Shape shape, int flat) {
    int[] idx = new int[shape.rank()];
    for (int k = shape.rank() - 1; k >= 0; k--) {
      idx[k] = flat % shape.dim(k);
      flat /= shape.dim(k);
    }
    return Arrays.toString(idx);
  }

  /** The running worst comparison. */
  private static final class Worst {
    double error;
    int probes;
    String where = "nothing checked: no input requires a gradient";

    /**
     * Counts one probe; true if its error is the worst so far (the caller then sets {@link
     * #where}). A NaN error (the finite difference or the gradient is NaN) counts as infinite.
     */
    boolean offer(double e) {
      double key = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
      probes++;
      if (probes == 1 || key > error) {
        error = key;
        return true;
      }
      return false;
    }
  }
}
