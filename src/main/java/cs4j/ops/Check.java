package cs4j.ops;

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

  /** All non-null tensors on the device of the first. */
  static void sameDevice(String op, Tensor... ts) {
    Tensor first = null;
    for (Tensor t : ts) {
      if (t == null) {
        continue;
      }
      if (first == null) {
        first = t;
      } else if (t.device() != first.device()) {
        throw new IllegalArgumentException(
            op
                + ": tensors on different devices ("
                + first.device()
                + " and "
                + t.device()
                + "); move them with Tensor.to(device)");
      }
    }
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
