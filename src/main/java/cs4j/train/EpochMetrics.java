package cs4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch measured. Accuracies are top-1 fractions in [0, 1]; evaluation fields are NaN when
 * there was no evaluation set.
 */
public record EpochMetrics(
    int epoch,
    long globalStep,
    double lr,
    double trainLoss,
    double trainAccuracy,
    double evalLoss,
    double evalAccuracy,
    double seconds) {

  /** Field names and values in a fixed order (JSONL / CSV columns); NaN becomes null. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", epoch);
    m.put("global_step", globalStep);
    m.put("lr", lr);
    m.put("train_loss", trainLoss);
    m.put("train_acc", trainAccuracy);
    m.put("eval_loss", Double.isNaN(evalLoss) ? null : evalLoss);
    m.put("eval_acc", Double.isNaN(evalAccuracy) ? null : evalAccuracy);
    m.put("seconds", seconds);
    return m;
  }
}
