package cs4j.backend.cpu;

/**
 * One range [lo, hi) of the activation backward passes. The plain loop {@code y > 0 ? g : 0} stays
 * scalar and branchy under JDK 17's C2 (ReLU outputs are zero about half the time, so the branch
 * mispredicts): in a ResNet-20 step it took 17 % of the time (JFR). {@link VectorActivationKernel}
 * selects lane-wise with a compare mask; {@link ScalarActivationKernel} is the fallback. Both give
 * the same bits.
 */
interface ActivationKernel {
  /** Names the implementation, for logs and tests. */
  String name();

  /**
   * dx[to + i − lo] = y[i] &gt; 0 ? g[i] : 0 for i in [lo, hi): the ReLU gradient from its output y
   * (NaN y gives 0), written at the same indices ({@code to = lo}) or into a scratch row.
   */
  void reluBackward(float[] y, float[] g, int lo, int hi, float[] dx, int to);
}
