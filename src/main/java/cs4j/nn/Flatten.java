package cs4j.nn;

import cs4j.ops.Ops;
import cs4j.tensor.Tensor;

/** x [N, ...] → [N, F]; no state. */
public final class Flatten extends Module {
  @Override
  public Tensor forward(Tensor x) {
    return Ops.flatten(x);
  }
}
