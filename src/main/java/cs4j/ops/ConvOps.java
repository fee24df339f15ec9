package cs4j.ops;

import static cs4j.ops.Alloc.backend;
import static cs4j.ops.Alloc.uninitializedLike;

import cs4j.autograd.Graph;
import cs4j.autograd.Node;
import cs4j.backend.ConvGeometry;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;

/** 2-D convolution; the optional bias is a separate {@code addBias} node. */
final class ConvOps {
  private ConvOps() {}

  /**
   * y [N, K, P, Q] = x [N, C, H, W] ⋆ w [K, C, R, S] (+ bias [K] unless null) with the given stride
   * and zero padding. Backward: dX by backward-data, dW by backward-weight (each only when needed).
   * Every argument is checked before any work.
   */
  static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int stride, int padding) {
    String op = "conv2d";
    Check.sameDevice(op, "x", x, "w", w);
    Check.rank(op, "x", x, 4, "[N, C, H, W]");
    Check.rank(op, "w", w, 4, "[K, C, R, S]");
    if (w.numel() == 0) {
      throw new IllegalArgumentException(op + ": w is empty, shape " + w.shape());
    }
    if (bias != null) {
      Check.sameDevice(op, "x", x, "bias", bias);
      Check.shape(op, "bias", bias, Shape.of(w.dim(0)));
    }
    Check.positive(op, "stride", stride);
    if (padding < 0) {
      throw new IllegalArgumentException(op + ": padding must be >= 0, got " + padding);
    }
    if (w.dim(1) != x.dim(1)) {
      throw new IllegalArgumentException(
          op
              + ": w "
              + w.shape()
              + " expects C = "
              + w.dim(1)
              + " input channels, x "
              + x.shape()
              + " has "
              + x.dim(1));
    }
    ConvGeometry g = Check.window(op, x, w.dim(2), w.dim(3), stride, padding);
    Tensor y = Alloc.uninitializedOn(x, x.dim(0), w.dim(0), g.p(), g.q());
    backend(x).conv2d(x, w, y, g);
    Graph.record(new Conv2dNode(x, w, g), y);
    return bias == null ? y : LinearOps.addBias(op, y, bias);
  }

  private static final class Conv2dNode extends Node {
    private final ConvGeometry g;
    private Tensor x;
    private Tensor w;

    Conv2dNode(Tensor x, Tensor w, ConvGeometry g) {
      super("conv2d", 1, x, w);
      this.x = x;
      this.w = w;
      this.g = g;
    }

    @Override
    protected Tensor[] backward(Tensor[] grads) {
      Tensor dY = grads[0];
      Tensor dX = null;
      Tensor dW = null;
      if (needsGrad(0)) {
        dX = uninitializedLike(x);
        backend(x).conv2dBackwardData(dY, w, dX, g);
      }
      if (needsGrad(1)) {
        dW = uninitializedLike(w);
        backend(w).conv2dBackwardWeight(x, dY, dW, g);
      }
      return new Tensor[] {dX, dW};
    }

    @Override
    protected void releaseSaved() {
      x = null;
      w = null;
    }
  }
}
