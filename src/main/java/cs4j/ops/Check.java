package cs4j.ops;

import cs4j.backend.ConvGeometry;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;

/** Argument checks shared by the ops; every message names the op, the argument and the shapes. */
final class Check {
  private Check() {}

  static void rank(String op, String arg, Tensor t, int rank, String layout) {
    if (t.rank() != rank) {
      throw new IllegalArgumentException(
          op + ": " + arg + " must be rank " + rank + " " + layout + ", got shape " + t.shape());
    }
  }

  static void shape(String op, String arg, Tensor t, Shape expected) {
    if (!t.shape().equals(expected)) {
      throw new IllegalArgumentException(
          op + ": " + arg + " must have shape " + expected + ", got " + t.shape());
    }
  }

  static void sameShape(String op, String argA, Tensor a, String argB, Tensor b) {
    if (!a.shape().equals(b.shape())) {
      throw new IllegalArgumentException(
          op
              + ": "
              + argA
              + " "
              + a.shape()
              + " and "
              + argB
              + " "
              + b.shape()
              + " must have the same shape");
    }
  }

  /** {@code b} (skipped when null) on the device of {@code a}. */
  static void sameDevice(String op, String argA, Tensor a, String argB, Tensor b) {
    if (b != null && b.device() != a.device()) {
      throw new IllegalArgumentException(
          op
              + ": "
              + argB
              + " is on "
              + b.device()
              + " but "
              + argA
              + " is on "
              + a.device()
              + "; move it with Tensor.to(device)");
    }
  }

  /**
   * The sweep of an r×s window with the given stride and zero padding over x [N, C, H, W] (rank
   * checked by the caller); x must be non-empty and the window must fit the padded input.
   */
  static ConvGeometry window(String op, Tensor x, int r, int s, int stride, int padding) {
    if (x.numel() == 0) {
      throw new IllegalArgumentException(op + ": x is empty, shape " + x.shape());
    }
    if (x.dim(2) + 2 * padding < r || x.dim(3) + 2 * padding < s) {
      throw new IllegalArgumentException(
          op
              + ": "
              + r
              + "×"
              + s
              + " window does not fit x "
              + x.shape()
              + " padded by "
              + padding);
    }
    return new ConvGeometry(
        x.dim(0), x.dim(1), x.dim(2), x.dim(3), r, s, stride, stride, padding, padding);
  }

  static void positive(String op, String arg, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(op + ": " + arg + " must be positive, got " + value);
    }
  }

  static void finite(String op, String arg, float value) {
    if (!Float.isFinite(value)) {
      throw new IllegalArgumentException(op + ": " + arg + " must be finite, got " + value);
    }
  }
}
