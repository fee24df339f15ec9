package cs4j.nn;

import cs4j.ops.Ops;
import cs4j.tensor.Tensor;

/** max(x, 0); no state. */
public final class ReLU extends Module {
  @Override
  public Tensor forward(Tensor x) {
    return Ops.relu(x);
  }
}
