package cs4j.sparsity;

import cs4j.autograd.Graph;
import cs4j.autograd.Node;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;

/**
 * Hard-concrete gates (Louizos et al. 2018), differentiable in log α. Host loops (CPU only), each
 * op a forward with its backward node, as the ops package does; they live here because only the ℓ0
 * baseline uses them.
 *
 * <ul>
 *   <li>training sample: {@code z = clamp(σ((log u − log(1−u) + log α)/T)·(ζ−γ) + γ, 0, 1)}, u ~
 *       U(0, 1); {@code ∂z/∂log α = (ζ−γ)·σ(1−σ)/T} where the clamp is inactive, else 0;
 *   <li>expected number of open gates: {@code Σ σ(log α − T·log(−γ/ζ))}, gradient σ(1−σ);
 *   <li>test-time gate: {@code clamp(σ(log α)·(ζ−γ) + γ, 0, 1)} (no gradient).
 * </ul>
 */
final class HardConcrete {
  private final float temperature;
  private final float gamma;
  private final float zeta;

  HardConcrete(double temperature, double gamma, double zeta) {
    this.temperature = (float) temperature;
    this.gamma = (float) gamma;
    this.zeta = (float) zeta;
  }

  private static float sigmoid(float x) {
    return (float) (1 / (1 + Math.exp(-x)));
  }

  /** A training sample of the gates, logAlpha [any shape], u the same size in (0, 1). */
  Tensor sample(Tensor logAlpha, float[] u) {
    float[] a = logAlpha.toArray();
    if (u.length != a.length) {
      throw new IllegalArgumentException(
          "HardConcrete.sample: " + u.length + " noise values for " + a.length + " gates");
    }
    float[] z = new float[a.length];
    float[] dzda = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      float s = sigmoid((float) ((Math.log(u[i]) - Math.log1p(-u[i]) + a[i]) / temperature));
      float stretched = s * (zeta - gamma) + gamma;
      z[i] = Math.min(1f, Math.max(0f, stretched));
      dzda[i] = stretched > 0f && stretched < 1f ? (zeta - gamma) * s * (1 - s) / temperature : 0f;
    }
    Tensor out = Tensor.of(z, logAlpha.shape().dims());
    return Graph.record(new ScaleNode("hardConcreteSample", logAlpha, dzda), out);
  }

  /** Σ σ(log α − T·log(−γ/ζ)): the expected number of non-zero gates, a scalar. */
  Tensor expectedOpen(Tensor logAlpha) {
    float[] a = logAlpha.toArray();
    float shift = (float) (temperature * Math.log(-gamma / zeta));
    float[] grad = new float[a.length];
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      float p = sigmoid(a[i] - shift);
      sum += p;
      grad[i] = p * (1 - p);
    }
    Tensor out = Tensor.scalar((float) sum);
    return Graph.record(new ScaleNode("hardConcreteExpectedL0", logAlpha, grad), out);
  }

  /** The deterministic test-time gate (no gradient). */
  Tensor testGate(Tensor logAlpha) {
    float[] a = logAlpha.toArray();
    float[] z = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      z[i] = Math.min(1f, Math.max(0f, sigmoid(a[i]) * (zeta - gamma) + gamma));
    }
    return Tensor.of(z, logAlpha.shape().dims());
  }

  /**
   * Backward of an elementwise map or of a sum of one: dIn = dOut ⊙ local, where dOut has the
   * input's shape (elementwise) or is a scalar (sum).
   */
  private static final class ScaleNode extends Node {
    private float[] local;
    private final Shape shape;

    ScaleNode(String name, Tensor in, float[] local) {
      super(name, 1, in);
      this.local = local;
      this.shape = in.shape();
    }

    @Override
    protected Tensor[] backward(Tensor[] g) {
      float[] d = g[0].toArray();
      float[] out = new float[local.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = (d.length == 1 ? d[0] : d[i]) * local[i];
      }
      return new Tensor[] {Tensor.of(out, shape.dims())};
    }

    @Override
    protected void releaseSaved() {
      local = null;
    }
  }
}
