package cs4j.nn;

import cs4j.ops.Ops;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;

/**
 * Fully connected layer: x [N, F] → x·wᵀ + b, weight [K, F] (PyTorch's layout), bias [K]. State
 * names: {@code weight}, {@code bias}.
 */
public final class Linear extends Module implements Maskable {
  private final Parameter weight;
  private final Parameter bias;
  private WeightTransform transform;

  public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
    if (inFeatures <= 0 || outFeatures <= 0) {
      throw new IllegalArgumentException(
          "Linear: features must be positive, got in=" + inFeatures + " out=" + outFeatures);
    }
    this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
    Init.pytorchDefault(weight.value(), rng);
    this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor w = transform == null ? weight.value() : transform.apply(weight.value());
    return Ops.linear(x, w, bias == null ? null : bias.value());
  }

  @Override
  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }

  @Override
  public void setWeightTransform(WeightTransform transform) {
    this.transform = transform;
  }

  @Override
  public WeightTransform weightTransform() {
    return transform;
  }
}
