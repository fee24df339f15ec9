package cs4j.data;

import cs4j.tensor.Tensor;

/**
 * One batch on the host.
 *
 * @param images [B, C, H, W], normalised floats
 * @param labels [B], class indices as floats (the form {@code Ops.crossEntropy} takes)
 * @param epoch the epoch it belongs to
 * @param index its position in that epoch, from 0
 */
public record Batch(Tensor images, Tensor labels, int epoch, int index) {
  public int size() {
    return labels.dim(0);
  }
}
