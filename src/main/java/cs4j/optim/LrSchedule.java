package cs4j.optim;

/**
 * A learning-rate multiplier as a function of training progress in epochs ({@code epoch +
 * batch/batchesPerEpoch}), applied with {@link Sgd#setLrScale}.
 */
@FunctionalInterface
public interface LrSchedule {
  double scale(double epochProgress);

  /** Always 1. */
  static LrSchedule constant() {
    return t -> 1.0;
  }

  /**
   * ×gamma at each milestone epoch, per epoch as PyTorch's MultiStepLR (the reference protocol:
   * ×0.1 at epochs 56 and 71 of 85).
   */
  static LrSchedule multiStep(double gamma, int... milestones) {
    int[] ms = milestones.clone();
    java.util.Arrays.sort(ms);
    return t -> {
      int epoch = (int) Math.floor(t);
      double s = 1.0;
      for (int m : ms) {
        if (epoch >= m) {
          s *= gamma;
        }
      }
      return s;
    };
  }

  /** Cosine from 1 down to {@code floor} over {@code epochs}, smooth per iteration. */
  static LrSchedule cosine(double epochs, double floor) {
    if (!(epochs > 0)) {
      throw new IllegalArgumentException("cosine schedule: epochs must be > 0, got " + epochs);
    }
    return t -> floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * Math.min(t, epochs) / epochs));
  }

  /** Linear warm-up from 0 to 1 over {@code epochs}, then this schedule. */
  default LrSchedule withWarmup(double epochs) {
    if (!(epochs >= 0)) {
      throw new IllegalArgumentException("warm-up epochs must be >= 0, got " + epochs);
    }
    return t -> (t < epochs ? t / epochs : 1.0) * scale(t);
  }
}
