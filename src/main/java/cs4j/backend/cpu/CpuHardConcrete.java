package cs4j.backend.cpu;

import cs4j.tensor.Rng;

/**
 * The hard-concrete gates of {@link cs4j.backend.Backend#hardConcreteGate}, element by element
 * (independent elements: any split over threads gives the same values). The noise of element i is
 * draw noiseOffset + i of the SplitMix64 stream at noiseState, as a host {@link Rng} draws it.
 */
final class CpuHardConcrete {
  private CpuHardConcrete() {}

  private static float sigmoid(float x) {
    return (float) (1 / (1 + Math.exp(-x)));
  }

  static void gates(
      float[] logAlpha,
      boolean sample,
      long noiseState,
      long noiseOffset,
      float temperature,
      float gamma,
      float zeta,
      float[] z,
      float[] dzda,
      int lo,
      int hi) {
    float stretch = zeta - gamma;
    for (int i = lo; i < hi; i++) {
      if (!sample) {
        z[i] = Math.min(1f, Math.max(0f, sigmoid(logAlpha[i]) * stretch + gamma));
        continue;
      }
      float u = Rng.floatAt(noiseState, noiseOffset + i);
      u = Math.max(Float.MIN_NORMAL, Math.min(1f - 0x1p-24f, u));
      float s = sigmoid((float) ((Math.log(u) - Math.log1p(-u) + logAlpha[i]) / temperature));
      float stretched = s * stretch + gamma;
      z[i] = Math.min(1f, Math.max(0f, stretched));
      dzda[i] = stretched > 0f && stretched < 1f ? stretch * s * (1 - s) / temperature : 0f;
    }
  }
}
