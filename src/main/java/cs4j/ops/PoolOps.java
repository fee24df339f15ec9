package cs4j.ops;

import static cs4j.ops.Alloc.backend;
import static cs4j.ops.Alloc.uninitializedLike;

import cs4j.autograd.Graph;
import cs4j.autograd.Node;
import cs4j.backend.ConvGeometry;
import cs4j.tensor.Tensor;

/** Max and average pooling over x [N, C, H, W], and the option-A ResNet shortcut. */
final class PoolOps {
  private PoolOps() {}

  private static ConvGeometry geometry(String op, Tensor x, int kernel, int stride, int padding) {
    Check.rank(op, "x", x, 4, "[N, C, H, W]");
    Check.positive(op, "kernel", kernel);
    Check.positive(op, "stride", stride);
    if (padding < 0 || 2 * padding > kernel) {
      throw new IllegalArgumentException(
          op + ": padding must be in [0, kernel/2], got " + padding + " for kernel " + kernel);
    }
    return Check.window(op, x, kernel, kernel, stride, padding);
  }

  /** y [N, C, P, Q] = window max. Backward routes dY to the chosen (first maximal) inputs. */
  static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
    ConvGeometry g = geometry("maxPool2d", x, kernel, stride, padding);
    Tensor y = Alloc.uninitializedOn(x, g.n(), g.c(), g.p(), g.q());
    Tensor argmax = uninitializedLike(y);
    backend(x).maxPool2d(x, y, argmax, g);
    return Graph.record(
        new Node("maxPool2d", 1, x) {
          private Tensor saved = argmax;

          @Override
          protected Tensor[] backward(Tensor[] grads) {
            Tensor dX = Alloc.uninitializedOn(grads[0], g.n(), g.c(), g.h(), g.w());
            backend(dX).maxPool2dBackward(grads[0], saved, dX, g);
            return new Tensor[] {dX};
          }

          @Override
          protected void releaseSaved() {
            saved = null;
          }
        },
        y);
  }

  /** y [N, C, P, Q] = window mean (padding counts in the divisor). */
  static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
    ConvGeometry g = geometry("avgPool2d", x, kernel, stride, padding);
    return avgPool(x, g, "avgPool2d");
  }

  /** y [N, C] = mean over H×W of x [N, C, H, W]. */
  static Tensor globalAvgPool(Tensor x) {
    Check.rank("globalAvgPool", "x", x, 4, "[N, C, H, W]");
    ConvGeometry g = Check.window("globalAvgPool", x, x.dim(2), x.dim(3), 1, 0);
    return ReductionOps.reshape(avgPool(x, g, "globalAvgPool"), x.dim(0), x.dim(1));
  }

  private static Tensor avgPool(Tensor x, ConvGeometry g, String name) {
    Tensor y = Alloc.uninitializedOn(x, g.n(), g.c(), g.p(), g.q());
    backend(x).avgPool2d(x, y, g);
    return Graph.record(
        new Node(name, 1, x) {
          @Override
          protected Tensor[] backward(Tensor[] grads) {
            Tensor dX = Alloc.uninitializedOn(grads[0], g.n(), g.c(), g.h(), g.w());
            backend(dX).avgPool2dBackward(grads[0], dX, g);
            return new Tensor[] {dX};
          }
        },
        y);
  }

  /**
   * Option-A shortcut: y [N, K, ⌈H/2⌉, ⌈W/2⌉] = x [N, C, H, W] subsampled by 2 with (K − C)/2 zero
   * channels on either side. K − C must be even and non-negative.
   */
  static Tensor shortcutA(Tensor x, int outChannels) {
    String op = "shortcutA";
    Check.rank(op, "x", x, 4, "[N, C, H, W]");
    int c = x.dim(1);
    if (outChannels < c || (outChannels - c) % 2 != 0) {
      throw new IllegalArgumentException(
          op
              + ": outChannels must be >= C = "
              + c
              + " with an even difference, got "
              + outChannels);
    }
    Tensor y =
        Alloc.uninitializedOn(x, x.dim(0), outChannels, (x.dim(2) + 1) / 2, (x.dim(3) + 1) / 2);
    backend(x).shortcutA(x, y);
    int[] inDims = x.shape().dims();
    return Graph.record(
        new Node(op, 1, x) {
          @Override
          protected Tensor[] backward(Tensor[] grads) {
            Tensor dX = Alloc.uninitializedOn(grads[0], inDims);
            backend(dX).shortcutABackward(grads[0], dX);
            return new Tensor[] {dX};
          }
        },
        y);
  }
}
