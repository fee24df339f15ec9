package cs4j.nn;

import cs4j.backend.Backend;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;

/**
 * Weight initialisers, written into the tensor in place (values drawn in index order from rng).
 * Fans follow PyTorch: for a weight [K, C, R, S] (or [K, C]), fanIn = C·R·S and fanOut = K·R·S.
 */
public final class Init {
  private Init() {}

  /** Xavier (Glorot) normal: N(0, 2 / (fanIn + fanOut)), as in the CS reference code. */
  public static void xavierNormal(Tensor w, Rng rng) {
    double std = Math.sqrt(2.0 / (fanIn(w) + fanOut(w)));
    fillNormal(w, rng, std);
  }

  /** Kaiming (He) normal for ReLU, fan-in mode: N(0, 2 / fanIn). */
  public static void kaimingNormal(Tensor w, Rng rng) {
    fillNormal(w, rng, Math.sqrt(2.0 / fanIn(w)));
  }

  /** PyTorch's default for conv and linear weights: U(−b, b) with b = 1/√fanIn. */
  public static void pytorchDefault(Tensor w, Rng rng) {
    float bound = (float) (1.0 / Math.sqrt(fanIn(w)));
    w.copyFrom(Tensor.uniform(rng, -bound, bound, w.shape().dims()).toArray());
  }

  public static void constant(Tensor t, float value) {
    Backend.of(t.device()).fill(t, value);
  }

  private static void fillNormal(Tensor w, Rng rng, double std) {
    w.copyFrom(Tensor.normal(rng, 0f, (float) std, w.shape().dims()).toArray());
  }

  static int fanIn(Tensor w) {
    checkRank(w);
    return w.numel() / w.dim(0);
  }

  static int fanOut(Tensor w) {
    checkRank(w);
    return w.numel() / w.dim(1);
  }

  private static void checkRank(Tensor w) {
    if (w.rank() < 2) {
      throw new IllegalArgumentException(
          "Init: fan-in/fan-out need a weight of rank >= 2, got shape " + w.shape());
    }
  }
}
