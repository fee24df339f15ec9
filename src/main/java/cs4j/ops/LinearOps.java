package cs4j.ops;

import static cs4j.ops.Alloc.backend;
import static cs4j.ops.Alloc.uninitializedLike;

import cs4j.autograd.Graph;
import cs4j.autograd.Node;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;

/** Matrix product and the per-channel bias broadcast (the two halves of a linear layer). */
final class LinearOps {
  private LinearOps() {}

  /**
   * y [M, N] = op(a) · op(b), with op(a) [M, K] (a stored [K, M] when transA) and op(b) [K, N] (b
   * stored [N, K] when transB). Backward: dA = dY · op(b)ᵀ, dB = op(a)ᵀ · dY (each laid out like
   * its input).
   */
  static Tensor matmul(String op, Tensor a, boolean transA, Tensor b, boolean transB) {
    Check.sameDevice(op, "a", a, "b", b);
    Check.rank(op, "a", a, 2, transA ? "[K, M]" : "[M, K]");
    Check.rank(op, "b", b, 2, transB ? "[N, K]" : "[K, N]");
    int m = transA ? a.dim(1) : a.dim(0);
    int k = transA ? a.dim(0) : a.dim(1);
    int kb = transB ? b.dim(1) : b.dim(0);
    int n = transB ? b.dim(0) : b.dim(1);
    if (k != kb) {
      throw new IllegalArgumentException(
          op
              + ": inner dimensions differ: a "
              + a.shape()
              + (transA ? "ᵀ" : "")
              + " has K = "
              + k
              + ", b "
              + b.shape()
              + (transB ? "ᵀ" : "")
              + " has K = "
              + kb);
    }
    Tensor y = Alloc.uninitializedOn(a, m, n);
    backend(a).gemm(transA, transB, m, n, k, 1f, a, b, 0f, y);
    return Graph.record(new MatMulNode(op, a, transA, b, transB, m, n, k), y);
  }

  private static final class MatMulNode extends Node {
    private Tensor a;
    private Tensor b;
    private final boolean transA;
    private final boolean transB;
    private final int m;
    private final int n;
    private final int k;

    MatMulNode(String op, Tensor a, boolean transA, Tensor b, boolean transB, int m, int n, int k) {
      super(op, 1, a, b);
      this.a = a;
      this.b = b;
      this.transA = transA;
      this.transB = transB;
      this.m = m;
      this.n = n;
      this.k = k;
    }

    @Override
    protected Tensor[] backward(Tensor[] g) {
      Tensor dY = g[0]; // [M, N]
      Tensor dA = null;
      Tensor dB = null;
      if (needsGrad(0)) {
        dA = uninitializedLike(a);
        if (transA) { // a [K, M]: dA = op(b) · dYᵀ
          backend(a).gemm(transB, true, k, m, n, 1f, b, dY, 0f, dA);
        } else { // a [M, K]: dA = dY · op(b)ᵀ
          backend(a).gemm(false, !transB, m, k, n, 1f, dY, b, 0f, dA);
        }
      }
      if (needsGrad(1)) {
        dB = uninitializedLike(b);
        if (transB) { // b [N, K]: dB = dYᵀ · op(a)
          backend(b).gemm(true, transA, n, k, m, 1f, dY, a, 0f, dB);
        } else { // b [K, N]: dB = op(a)ᵀ · dY
          backend(b).gemm(!transA, false, k, n, m, 1f, a, dY, 0f, dB);
        }
      }
      return new Tensor[] {dA, dB};
    }

    @Override
    protected void releaseSaved() {
      a = null;
      b = null;
    }
  }

  /**
   * y [N, K] = x [N, F] · wᵀ (+ bias [K]) with w [K, F], PyTorch's layout: checked here so that
   * errors name x, w and bias rather than matmul's a and b.
   */
  static Tensor linear(Tensor x, Tensor w, Tensor bias) {
    String op = "linear";
    Check.sameDevice(op, "x", x, "w", w);
    Check.rank(op, "x", x, 2, "[N, F]");
    Check.rank(op, "w", w, 2, "[K, F]");
    if (w.dim(1) != x.dim(1)) {
      throw new IllegalArgumentException(
          op
              + ": w "
              + w.shape()
              + " expects F = "
              + w.dim(1)
              + " input features, x "
              + x.shape()
              + " has "
              + x.dim(1));
    }
    if (bias != null) {
      Check.sameDevice(op, "x", x, "bias", bias);
      Check.shape(op, "bias", bias, Shape.of(w.dim(0)));
    }
    Tensor y = matmul(op, x, false, w, true);
    return bias == null ? y : addBias(op, y, bias);
  }

  /**
   * out = x + bias broadcast over dimension 1: x [N, F] with bias [F], or x [N, C, H, W] with bias
   * [C]. Backward: dX = dOut, dBias[c] = Σ of dOut over every index but c.
   */
  static Tensor addBias(String op, Tensor x, Tensor bias) {
    Check.sameDevice(op, "x", x, "bias", bias);
    if (x.rank() < 2) {
      throw new IllegalArgumentException(
          op + ": x must be [N, C, ...] (rank >= 2), got shape " + x.shape());
    }
    Check.shape(op, "bias", bias, Shape.of(x.dim(1)));
    int outer = x.dim(0);
    int channels = x.dim(1);
    int inner = x.shape().numel(2, x.rank());
    Tensor out = uninitializedLike(x);
    backend(x).addBias(x, bias, outer, channels, inner, out);
    return Graph.record(
        new Node("addBias", 1, x, bias) {
          @Override
          protected Tensor[] backward(Tensor[] g) {
            Tensor dBias = null;
            if (needsGrad(1)) {
              dBias = Tensor.uninitialized(Shape.of(channels), g[0].device());
              backend(dBias).biasGrad(g[0], outer, channels, inner, dBias);
            }
            return new Tensor[] {g[0], dBias};
          }
        },
        out);
  }
}
