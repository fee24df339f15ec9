package cs4j.ops;

import static cs4j.ops.Alloc.backend;
import static cs4j.ops.Alloc.uninitializedLike;

import cs4j.autograd.Graph;
import cs4j.autograd.Node;
import cs4j.tensor.Tensor;

/** Same-shape elementwise ops: a + b, a ⊙ b, α·x, relu, sigmoid; each with its backward. */
final class ElementwiseOps {
  private ElementwiseOps() {}

  /** out = a + b. Backward: both inputs receive dOut. */
  static Tensor add(Tensor a, Tensor b) {
    Check.sameDevice("add", "a", a, "b", b);
    Check.sameShape("add", "a", a, "b", b);
    Tensor out = uninitializedLike(a);
    backend(a).axpby(1f, a, 1f, b, out);
    return Graph.record(
        new Node("add", 1, a, b) {
          @Override
          protected Tensor[] backward(Tensor[] g) {
            return new Tensor[] {g[0], g[0]};
          }
        },
        out);
  }

  /** out = alpha·x. Backward: dX = alpha·dOut. */
  static Tensor scale(Tensor x, float alpha) {
    Tensor out = uninitializedLike(x);
    backend(x).axpby(alpha, x, 0f, x, out);
    return Graph.record(
        new Node("scale", 1, x) {
          @Override
          protected Tensor[] backward(Tensor[] g) {
            Tensor dX = uninitializedLike(g[0]);
            backend(dX).axpby(alpha, g[0], 0f, g[0], dX);
            return new Tensor[] {dX};
          }
        },
        out);
  }

  /** out = a ⊙ b. Backward: dA = dOut ⊙ b, dB = dOut ⊙ a. */
  static Tensor mul(Tensor a, Tensor b) {
    Check.sameDevice("mul", "a", a, "b", b);
    Check.sameShape("mul", "a", a, "b", b);
    Tensor out = uninitializedLike(a);
    backend(a).mul(a, b, out);
    return Graph.record(new MulNode(a, b), out);
  }

  private static final class MulNode extends Node {
    private Tensor a;
    private Tensor b;

    MulNode(Tensor a, Tensor b) {
      super("mul", 1, a, b);
      this.a = a;
      this.b = b;
    }

    @Override
    protected Tensor[] backward(Tensor[] g) {
      Tensor dA = null;
      Tensor dB = null;
      if (needsGrad(0)) {
        dA = uninitializedLike(a);
        backend(a).mul(g[0], b, dA);
      }
      if (needsGrad(1)) {
        dB = uninitializedLike(b);
        backend(b).mul(g[0], a, dB);
      }
      return new Tensor[] {dA, dB};
    }

    @Override
    protected void releaseSaved() {
      a = null;
      b = null;
    }
  }

  /** y = max(x, 0). Backward reads only y: dX = dY where y > 0. */
  static Tensor relu(Tensor x) {
    Tensor y = uninitializedLike(x);
    backend(x).relu(x, y);
    return Graph.record(new ActivationNode("relu", x, y, true), y);
  }

  /** y = σ(x). Backward reads only y: dX = dY ⊙ y(1 − y). */
  static Tensor sigmoid(Tensor x) {
    Tensor y = uninitializedLike(x);
    backend(x).sigmoid(x, y);
    return Graph.record(new ActivationNode("sigmoid", x, y, false), y);
  }

  /** Relu or sigmoid: both differentiate from their own output. */
  private static final class ActivationNode extends Node {
    private final boolean relu;
    private Tensor y;

    ActivationNode(String name, Tensor x, Tensor y, boolean relu) {
      super(name, 1, x);
      this.y = y;
      this.relu = relu;
    }

    @Override
    protected Tensor[] backward(Tensor[] g) {
      Tensor dX = uninitializedLike(y);
      if (relu) {
        backend(y).reluBackward(y, g[0], dX);
      } else {
        backend(y).sigmoidBackward(y, g[0], dX);
      }
      return new Tensor[] {dX};
    }

    @Override
    protected void releaseSaved() {
      y = null;
    }
  }
}
