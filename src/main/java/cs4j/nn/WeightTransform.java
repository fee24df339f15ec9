package cs4j.nn;

import cs4j.tensor.Tensor;

/**
 * Maps a layer's stored weight to the weight its forward uses (for example the Continuous
 * Sparsification mask, {@code w ⊙ c·σ(β·s)}, or a fixed binary ticket). Runs on every forward, so
 * it must be recorded on the graph when gradients are needed.
 */
@FunctionalInterface
public interface WeightTransform {
  Tensor apply(Tensor weight);
}
