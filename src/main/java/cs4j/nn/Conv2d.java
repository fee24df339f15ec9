package cs4j.nn;

import cs4j.ops.Ops;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;

/**
 * 2-D convolution: x [N, C, H, W] → [N, K, P, Q] with weight [K, C, R, R] and optional bias [K].
 * State names: {@code weight}, {@code bias}. Initialised as PyTorch does (uniform ±1/√fanIn);
 * models re-initialise as their reference protocol says.
 */
public final class Conv2d extends MaskableLayer {
  private final Parameter bias;
  private final int stride;
  private final int padding;

  public Conv2d(
      int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias, Rng rng) {
    super(weight(inChannels, outChannels, kernel));
    Init.pytorchDefault(weight().value(), rng);
    this.bias = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
    this.stride = stride;
    this.padding = padding;
  }

  /** A zero weight [K, C, R, R], after checking the sizes. */
  private static Tensor weight(int inChannels, int outChannels, int kernel) {
    if (inChannels <= 0 || outChannels <= 0 || kernel <= 0) {
      throw new IllegalArgumentException(
          "Conv2d: channels and kernel must be positive, got in="
              + inChannels
              + " out="
              + outChannels
              + " kernel="
              + kernel);
    }
    return Tensor.zeros(outChannels, inChannels, kernel, kernel);
  }

  @Override
  public Tensor forward(Tensor x) {
    return Ops.conv2d(x, effectiveWeight(), bias == null ? null : bias.value(), stride, padding);
  }

  /** The bias, or null. */
  public Parameter bias() {
    return bias;
  }

  public int stride() {
    return stride;
  }

  public int padding() {
    return padding;
  }

  public int kernelSize() {
    return weight().value().dim(2);
  }
}
