package cs4j.autograd;

import cs4j.backend.Backend;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import java.util.function.Function;

/**
 * Checks an op's backward against central finite differences. The scalar under test is L(x) = Σ
 * f(x) ⊙ r for a fixed random r (so that errors cannot cancel in a plain sum), summed on the host
 * in double. For each input that requires a gradient and each of several random directions v,
 * compares the analytic ⟨∇L, v⟩ with (L(x + εv) − L(x − εv)) / 2ε.
 *
 * <p>The inputs are perturbed in place and restored afterwards. f must be deterministic; ops with
 * kinks (relu, max pooling) need inputs away from them, which random inputs give almost surely.
 */
public final class GradCheck {
  private GradCheck() {}

  /** The worst relative error over all checked inputs and directions. */
  public record Result(double maxRelativeError, String worst) {}

  /**
   * Runs the check. {@code eps} is the finite-difference step along a direction with standard
   * normal entries; the relative error of one comparison is |fd − analytic| / max(|fd|, |analytic|,
   * 1e-6).
   */
  public static Result check(
      Function<Tensor[], Tensor> f, Tensor[] inputs, double eps, int directions, long seed) {
    Rng rng = new Rng(seed);
    Tensor out;
    try (var scope = Graph.noGrad()) {
      out = f.apply(inputs);
    }
    float[] r = Tensor.normal(rng, 0f, 1f, out.numel()).toArray();
    Tensor weights = Tensor.of(r, out.shape().dims()).to(out.device());

    for (Tensor in : inputs) {
      if (in.requiresGrad()) {
        in.zeroGrad();
      }
    }
    Tensor y = f.apply(inputs);
    Autograd.backward(y, weights); // dL/dy = r

    double worst = 0;
    String where = "no input requires a gradient";
    for (int i = 0; i < inputs.length; i++) {
      Tensor in = inputs[i];
      if (!in.requiresGrad()) {
        continue;
      }
      if (in.grad() == null) {
        return new Result(Double.POSITIVE_INFINITY, "input " + i + " received no gradient");
      }
      float[] grad = in.grad().toArray();
      float[] x0 = in.toArray();
      for (int d = 0; d < directions; d++) {
        float[] v = Tensor.normal(rng, 0f, 1f, x0.length).toArray();
        double analytic = 0;
        for (int j = 0; j < v.length; j++) {
          analytic += (double) grad[j] * v[j];
        }
        double plus = lossAt(f, inputs, i, x0, v, eps, r);
        double minus = lossAt(f, inputs, i, x0, v, -eps, r);
        restore(in, x0);
        double fd = (plus - minus) / (2 * eps);
        double scale = Math.max(Math.max(Math.abs(fd), Math.abs(analytic)), 1e-6);
        double rel = Math.abs(fd - analytic) / scale;
        if (rel > worst || where.startsWith("no input")) {
          worst = Math.max(worst, rel);
          where =
              "input "
                  + i
                  + " "
                  + in.shape()
                  + ", direction "
                  + d
                  + ": analytic "
                  + analytic
                  + ", finite difference "
                  + fd;
        }
      }
    }
    return new Result(worst, where);
  }

  private static double lossAt(
      Function<Tensor[], Tensor> f,
      Tensor[] inputs,
      int which,
      float[] x0,
      float[] v,
      double eps,
      float[] r) {
    float[] x = new float[x0.length];
    for (int j = 0; j < x.length; j++) {
      x[j] = (float) (x0[j] + eps * v[j]);
    }
    restore(inputs[which], x);
    float[] y;
    try (var scope = Graph.noGrad()) {
      y = f.apply(inputs).toArray();
    }
    double l = 0;
    for (int j = 0; j < y.length; j++) {
      l += (double) y[j] * r[j];
    }
    return l;
  }

  private static void restore(Tensor t, float[] values) {
    Backend.of(t.device()).copy(Tensor.of(values, t.shape().dims()).to(t.device()), t);
  }
}
