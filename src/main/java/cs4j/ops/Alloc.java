package cs4j.ops;

import cs4j.backend.Backend;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;

/** Output allocation for ops: a new tensor on the device (and backend) of a reference tensor. */
final class Alloc {
  private Alloc() {}

  static Tensor like(Tensor ref) {
    return Tensor.zeros(ref.shape(), ref.device());
  }

  static Tensor on(Tensor ref, int... dims) {
    return Tensor.zeros(Shape.of(dims), ref.device());
  }

  static Backend backend(Tensor t) {
    return Backend.of(t.device());
  }
}
