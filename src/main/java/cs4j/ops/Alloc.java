package cs4j.ops;

import cs4j.backend.Backend;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;

/**
 * Output allocation for ops: a new tensor on the device (and backend) of a reference tensor, either
 * zero-filled ({@link #like}, {@link #on}) or with unspecified contents ({@link
 * #uninitializedLike}, {@link #uninitializedOn}).
 *
 * <p>The uninitialised forms are for outputs whose kernel writes every element, unconditionally and
 * before anything reads it, on every backend (CPU and CUDA); they save the zero-fill, which on the
 * CPU's pooled arrays is a pass over memory as large as the output. An output that a kernel
 * accumulates into, writes only in part, or that stands for a zero gradient must be zero-filled.
 * The checked test device fills uninitialised memory with NaN, so the parity tests catch an output
 * allocated uninitialised that its kernel does not overwrite.
 */
final class Alloc {
  private Alloc() {}

  /** Zeros shaped like {@code ref}. */
  static Tensor like(Tensor ref) {
    return Tensor.zeros(ref.shape(), ref.device());
  }

  /** Zeros of shape {@code dims} on {@code ref}'s device. */
  static Tensor on(Tensor ref, int... dims) {
    return Tensor.zeros(Shape.of(dims), ref.device());
  }

  /** Shaped like {@code ref}, contents unspecified: for a kernel that overwrites all of it. */
  static Tensor uninitializedLike(Tensor ref) {
    return Tensor.uninitialized(ref.shape(), ref.device());
  }

  /** Of shape {@code dims} on {@code ref}'s device, contents unspecified (see the class doc). */
  static Tensor uninitializedOn(Tensor ref, int... dims) {
    return Tensor.uninitialized(Shape.of(dims), ref.device());
  }

  static Backend backend(Tensor t) {
    return Backend.of(t.device());
  }
}
