package cs4j.ops;

import static cs4j.ops.Alloc.backend;

import cs4j.autograd.Graph;
import cs4j.autograd.Node;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;

/** Full reductions to a scalar (Σ x, mean) and reshapes: ops that move no values. */
final class ReductionOps {
  private ReductionOps() {}

  /** out [] = alpha · Σ x. Backward: dX = alpha · dOut everywhere. */
  static Tensor sumScaled(String name, Tensor x, float alpha) {
    if (x.numel() == 0) {
      throw new IllegalArgumentException(name + ": input is empty, shape " + x.shape());
    }
    Tensor out = Tensor.uninitialized(Shape.scalar(), x.device());
    backend(x).sum(x, out);
    if (alpha != 1f) {
      backend(x).axpby(alpha, out, 0f, out, out);
    }
    Shape inShape = x.shape();
    return Graph.record(
        new Node(name, 1, x) {
          @Override
          protected Tensor[] backward(Tensor[] g) {
            Tensor dX = Tensor.uninitialized(inShape, g[0].device());
            backend(dX).broadcastScalar(g[0], alpha, dX);
            return new Tensor[] {dX};
          }
        },
        out);
  }

  /** x [N, ...] → [N, F]: a reshape that keeps the first dimension. */
  static Tensor flatten(Tensor x) {
    if (x.rank() < 1) {
      throw new IllegalArgumentException(
          "flatten: x must be [N, ...] (rank >= 1), got shape " + x.shape());
    }
    return reshape(x, x.dim(0), -1);
  }

  /** Same storage, new shape; backward reshapes the gradient back. */
  static Tensor reshape(Tensor x, int... dims) {
    Tensor out = x.withShape(dims);
    Shape inShape = x.shape();
    return Graph.record(
        new Node("reshape", 1, x) {
          @Override
          protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0].withShape(inShape.dims())};
          }
        },
        out);
  }
}
