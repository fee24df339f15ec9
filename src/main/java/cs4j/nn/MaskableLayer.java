package cs4j.nn;

import cs4j.tensor.Tensor;

/**
 * The common part of conv and linear layers: a {@code weight} parameter and the optional {@link
 * WeightTransform} a pruning method installs on it.
 */
public abstract class MaskableLayer extends Module implements Maskable {
  private final Parameter weight;
  private WeightTransform transform;

  protected MaskableLayer(Tensor initialWeight) {
    this.weight = registerParameter("weight", initialWeight);
  }

  /** The weight the forward pass uses: the stored one, or its transform. */
  protected final Tensor effectiveWeight() {
    return transform == null ? weight.value() : transform.apply(weight.value());
  }

  @Override
  public final Parameter weight() {
    return weight;
  }

  @Override
  public final void setWeightTransform(WeightTransform transform) {
    this.transform = transform;
  }

  @Override
  public final WeightTransform weightTransform() {
    return transform;
  }
}
