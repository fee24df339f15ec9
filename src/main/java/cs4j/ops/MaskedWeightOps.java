package cs4j.ops;

import static cs4j.ops.Alloc.backend;
import static cs4j.ops.Alloc.like;
import static cs4j.ops.Alloc.uninitializedLike;

import cs4j.autograd.Graph;
import cs4j.autograd.Node;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;

/**
 * The Continuous Sparsification masked weight {@code w ⊙ c·σ(β·s)} (Savarese, Silva, Maire, NeurIPS
 * 2020), fused: one kernel forward, one backward, no temporaries the size of w besides the outputs.
 */
final class MaskedWeightOps {
  private MaskedWeightOps() {}

  static MaskedWeight maskedWeight(Tensor w, Tensor s, float beta, float c, float lambda) {
    String op = "maskedWeight";
    Check.sameDevice(op, "w", w, "s", s);
    Check.sameShape(op, "w", w, "s", s);
    Check.finite(op, "beta", beta);
    Check.finite(op, "c", c);
    Check.finite(op, "lambda", lambda);
    if (!(beta > 0f)) {
      throw new IllegalArgumentException(op + ": beta must be > 0, got " + beta);
    }
    if (lambda < 0f) {
      throw new IllegalArgumentException(op + ": lambda must be >= 0, got " + lambda);
    }
    Tensor wEff = uninitializedLike(w);
    Tensor penalty = Tensor.uninitialized(Shape.scalar(), w.device());
    backend(w).maskedWeight(w, s, beta, c, lambda, wEff, penalty);
    Graph.record(new MaskedWeightNode(w, s, beta, c, lambda), wEff, penalty);
    return new MaskedWeight(wEff, penalty);
  }

  private static final class MaskedWeightNode extends Node {
    private Tensor w;
    private Tensor s;
    private final float beta;
    private final float c;
    private final float lambda;

    MaskedWeightNode(Tensor w, Tensor s, float beta, float c, float lambda) {
      super("maskedWeight", 2, w, s);
      this.w = w;
      this.s = s;
      this.beta = beta;
      this.c = c;
      this.lambda = lambda;
    }

    @Override
    protected Tensor[] backward(Tensor[] g) {
      // A missing output gradient is zero: w_eff unused (penalty only) or penalty unused.
      Tensor dWEff = g[0] != null ? g[0] : like(w);
      Tensor dPenalty = g[1] != null ? g[1] : Tensor.zeros(Shape.scalar(), w.device());
      Tensor dW = uninitializedLike(w);
      Tensor dS = uninitializedLike(s);
      backend(w).maskedWeightBackward(w, s, dWEff, dPenalty, beta, c, lambda, dW, dS);
      return new Tensor[] {dW, dS};
    }

    @Override
    protected void releaseSaved() {
      w = null;
      s = null;
    }
  }
}
