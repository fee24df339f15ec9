package cs4j.backend.cpu;

/** The fused masked-weight kernels one element at a time: the portable path and the oracle. */
final class ScalarMaskedWeightKernel implements MaskedWeightKernel {

  @Override
  public double forward(float[] w, float[] s, float beta, float c, float[] wEff, int lo, int hi) {
    double acc = 0;
    for (int i = lo; i < hi; i++) {
      float m = c * FastSigmoid.sigmoid(beta * s[i]);
      wEff[i] = w[i] * m;
      acc += m;
    }
    return acc;
  }

  @Override
  public void backward(
      float[] w,
      float[] s,
      float[] g,
      float lambdaP,
      float beta,
      float c,
      float[] dW,
      float[] dS,
      int lo,
      int hi) {
    float cb = c * beta;
    for (int i = lo; i < hi; i++) {
      float x = beta * s[i];
      float e = FastSigmoid.expNeg(x);
      float sig = FastSigmoid.sigmoid(x, e);
      dW[i] = g[i] * (c * sig);
      dS[i] = (g[i] * w[i] + lambdaP) * (cb * FastSigmoid.slope(e, sig));
    }
  }

  @Override
  public String name() {
    return "scalar";
  }
}
