package cs4j.nn;

import cs4j.ops.Ops;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;

/**
 * Fully connected layer: x [N, F] → x·wᵀ + b, weight [K, F] (PyTorch's layout), bias [K]. State
 * names: {@code weight}, {@code bias}.
 */
public final class Linear extends MaskableLayer {
  private final Parameter bias;

  public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
    super(weight(inFeatures, outFeatures));
    Init.pytorchDefault(weight().value(), rng);
    this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
  }

  /** A zero weight [K, F], after checking the sizes. */
  private static Tensor weight(int inFeatures, int outFeatures) {
    if (inFeatures <= 0 || outFeatures <= 0) {
      throw new IllegalArgumentException(
          "Linear: features must be positive, got in=" + inFeatures + " out=" + outFeatures);
    }
    return Tensor.zeros(outFeatures, inFeatures);
  }

  @Override
  public Tensor forward(Tensor x) {
    return Ops.linear(x, effectiveWeight(), bias == null ? null : bias.value());
  }

  /** The bias, or null. */
  public Parameter bias() {
    return bias;
  }
}
