package cs4j.backend.cpu;

/**
 * The fused Continuous Sparsification mask (PAPER.md §2), one pass over memory each way. Forward
 * reads w and s and writes wEff (12 bytes per element); backward reads w, s and g and writes dW and
 * dS (20 bytes per element), recomputing σ(β·s) rather than storing it.
 */
final class CpuMaskedWeight {
  private CpuMaskedWeight() {}

  /** wEff = w ⊙ c·σ(β·s); returns the penalty λ·Σ c·σ(β·s), summed per chunk in double. */
  static float forward(
      ParallelFor par, float[] w, float[] s, float beta, float c, float lambda, float[] wEff) {
    int chunks = par.chunks(w.length, CpuBackend.GRAIN);
    double[] partial = new double[chunks];
    par.run(
        w.length,
        CpuBackend.GRAIN,
        (ch, lo, hi) -> {
          double acc = 0;
          for (int i = lo; i < hi; i++) {
            float m = c * CpuBackend.sigmoid(beta * s[i]);
            wEff[i] = w[i] * m;
            acc += m;
          }
          partial[ch] = acc;
        });
    double total = 0;
    for (double p : partial) {
      total += p;
    }
    return (float) (lambda * total);
  }

  /** dW = g ⊙ c·σ; dS = (g ⊙ w + λ·p) ⊙ c·β·σ(1 − σ). */
  static void backward(
      ParallelFor par,
      float[] w,
      float[] s,
      float[] g,
      float p,
      float beta,
      float c,
      float lambda,
      float[] dW,
      float[] dS) {
    float lp = lambda * p;
    float cb = c * beta;
    par.run(
        w.length,
        CpuBackend.GRAIN,
        (ch, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            float sig = CpuBackend.sigmoid(beta * s[i]);
            dW[i] = g[i] * c * sig;
            dS[i] = (g[i] * w[i] + lp) * cb * sig * (1f - sig);
          }
        });
  }
}
