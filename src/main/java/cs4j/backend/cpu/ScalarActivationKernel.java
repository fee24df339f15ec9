package cs4j.backend.cpu;

/** {@link ActivationKernel} in plain Java: the reference and the fallback. */
final class ScalarActivationKernel implements ActivationKernel {
  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void reluBackward(float[] y, float[] g, int lo, int hi, float[] dx, int to) {
    for (int i = lo; i < hi; i++) {
      dx[to + i - lo] = y[i] > 0f ? g[i] : 0f;
    }
  }
}
