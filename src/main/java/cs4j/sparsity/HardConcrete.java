package cs4j.sparsity;

import cs4j.autograd.Graph;
import cs4j.autograd.Node;
import cs4j.backend.Backend;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;

/**
 * Hard-concrete gates (Louizos et al. 2018), differentiable in log α, computed where log α lives
 * ({@link Backend#hardConcreteGate}): each op a forward with its backward node, as the ops package
 * does; they live here because only the ℓ0 baseline uses them.
 *
 * <ul>
 *   <li>training sample: {@code z = clamp(σ((log u − log(1−u) + log α)/T)·(ζ−γ) + γ, 0, 1)}, u ~
 *       U(0, 1) drawn on the device from a seeded counter-based stream; {@code ∂z/∂log α =
 *       (ζ−γ)·σ(1−σ)/T} where the clamp is inactive, else 0;
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

  /**
   * A training sample of the gates for logAlpha [any shape], with noise draws [offset, offset +
   * numel) of the stream whose generator state is {@code noiseState} ({@link
   * cs4j.tensor.Rng#state()}).
   */
  Tensor sample(Tensor logAlpha, long noiseState, long offset) {
    Tensor z = Tensor.zeros(logAlpha.shape(), logAlpha.device());
    Tensor dzda = Tensor.zeros(logAlpha.shape(), logAlpha.device());
    Backend.of(logAlpha.device())
        .hardConcreteGate(logAlpha, true, noiseState, offset, temperature, gamma, zeta, z, dzda);
    return Graph.record(new SampleNode(logAlpha, dzda), z);
  }

  /** Σ σ(log α − T·log(−γ/ζ)): the expected number of non-zero gates, a scalar. */
  Tensor expectedOpen(Tensor logAlpha) {
    Backend b = Backend.of(logAlpha.device());
    float shift = (float) (temperature * Math.log(-gamma / zeta));
    Tensor p = Tensor.zeros(logAlpha.shape(), logAlpha.device());
    b.fill(p, -shift);
    b.axpby(1f, logAlpha, 1f, p, p);
    b.sigmoid(p, p);
    Tensor out = Tensor.zeros(Shape.scalar(), logAlpha.device());
    b.sum(p, out);
    return Graph.record(new ExpectedOpenNode(logAlpha, p), out);
  }

  /** The deterministic test-time gate (no gradient). */
  Tensor testGate(Tensor logAlpha) {
    Tensor z = Tensor.zeros(logAlpha.shape(), logAlpha.device());
    Backend.of(logAlpha.device())
        .hardConcreteGate(logAlpha, false, 0, 0, temperature, gamma, zeta, z, null);
    return z;
  }

  /** dLogα = dZ ⊙ ∂z/∂log α. */
  private static final class SampleNode extends Node {
    private Tensor dzda;

    SampleNode(Tensor logAlpha, Tensor dzda) {
      super("hardConcreteSample", 1, logAlpha);
      this.dzda = dzda;
    }

    @Override
    protected Tensor[] backward(Tensor[] g) {
      Tensor d = Tensor.zeros(dzda.shape(), dzda.device());
      Backend.of(d.device()).mul(g[0], dzda, d);
      return new Tensor[] {d};
    }

    @Override
    protected void releaseSaved() {
      dzda = null;
    }
  }

  /** dLogα = dOut · p(1 − p), with p = σ(log α − shift) saved by the forward. */
  private static final class ExpectedOpenNode extends Node {
    private Tensor p;

    ExpectedOpenNode(Tensor logAlpha, Tensor p) {
      super("hardConcreteExpectedL0", 1, logAlpha);
      this.p = p;
    }

    @Override
    protected Tensor[] backward(Tensor[] g) {
      Backend b = Backend.of(p.device());
      Tensor d = Tensor.zeros(p.shape(), p.device());
      b.broadcastScalar(g[0], 1f, d);
      b.sigmoidBackward(p, d, d);
      return new Tensor[] {d};
    }

    @Override
    protected void releaseSaved() {
      p = null;
    }
  }
}
