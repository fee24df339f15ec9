package cs4j.nn;

import cs4j.ops.Ops;
import cs4j.tensor.Tensor;

/** Max pooling over kernel×kernel windows; no state. */
public final class MaxPool2d extends Module {
  private final int kernel;
  private final int stride;
  private final int padding;

  public MaxPool2d(int kernel, int stride, int padding) {
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
  }

  /** Non-overlapping windows: stride = kernel, no padding. */
  public MaxPool2d(int kernel) {
    this(kernel, kernel, 0);
  }

  @Override
  public Tensor forward(Tensor x) {
    return Ops.maxPool2d(x, kernel, stride, padding);
  }
}
