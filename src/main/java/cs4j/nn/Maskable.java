package cs4j.nn;

/**
 * A layer whose weight a pruning method can mask: convolutions and linear layers. The method
 * installs a {@link WeightTransform} and may register extra state (mask logits) on the layer.
 */
public interface Maskable {
  /** The stored (unmasked) weight. */
  Parameter weight();

  /** Installs the transform applied to the weight on each forward; null removes it. */
  void setWeightTransform(WeightTransform transform);

  WeightTransform weightTransform();
}
