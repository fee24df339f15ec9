package cs4j.sparsity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one round of a method: the masks' sparsity and the test accuracy of the network
 * the round produced.
 *
 * @param round 0-based round index (a CS ticket retraining after R search rounds is round R)
 * @param stage what was evaluated: {@code dense} (no mask), {@code search} (CS: the round's hard
 *     ticket on the search weights, not retrained), {@code ticket} (a ticket retrained from the
 *     rewind point), {@code pruned} (pruned trained weights, fine-tuned if asked)
 * @param sparsity remaining weights per masked layer and overall
 * @param testAccuracy top-1 accuracy on the test loader, in [0, 1]
 * @param testLoss mean cross-entropy on the test loader
 * @param epochs training epochs this round ran (all phases)
 * @param seconds wall-clock seconds of this round (as first run; a resumed round counts the part
 *     run by the finishing process)
 * @param device the device the round finished on ({@code cpu}, {@code cuda:0}; null in results
 *     written before it was recorded)
 * @param warning null for a round whose network trained; else, in plain words, what went wrong (its
 *     training diverged, its test accuracy is near chance), the likely cause and the flag that
 *     changes it. Such a round is a failure to report, not a point of an accuracy–sparsity curve.
 */
public record RoundResult(
    int round,
    String stage,
    SparsityReport sparsity,
    double testAccuracy,
    double testLoss,
    int epochs,
    double seconds,
    String device,
    String warning) {

  /** Whether {@link #warning} says the round failed. */
  public boolean failed() {
    return warning != null;
  }

  public double fractionRemaining() {
    return sparsity.fractionRemaining();
  }

  /** JSON has no NaN or infinity: a diverged network's loss is written as null. */
  private static Double finiteOrNull(double x) {
    return Double.isFinite(x) ? x : null;
  }

  private static double numberOrNaN(Object json) {
    return json == null ? Double.NaN : ((Number) json).doubleValue();
  }

  /** JSON fields in a fixed order; a loss or accuracy that is not finite is null. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("round", round);
    m.put("stage", stage);
    m.put("fraction_remaining", fractionRemaining());
    m.put("test_acc", finiteOrNull(testAccuracy));
    m.put("test_loss", finiteOrNull(testLoss));
    m.put("epochs", epochs);
    m.put("seconds", seconds);
    if (device != null) {
      m.put("device", device);
    }
    if (warning != null) {
      m.put("warning", warning);
    }
    m.put("sparsity", sparsity.toMap());
    return m;
  }

  /** Reads what {@link #toMap()} wrote. */
  public static RoundResult fromMap(Map<?, ?> m) {
    return new RoundResult(
        ((Number) m.get("round")).intValue(),
        (String) m.get("stage"),
        SparsityReport.fromMap((Map<?, ?>) m.get("sparsity")),
        numberOrNaN(m.get("test_acc")),
        numberOrNaN(m.get("test_loss")),
        ((Number) m.get("epochs")).intValue(),
        ((Number) m.get("seconds")).doubleValue(),
        m.get("device") instanceof String d ? d : null,
        m.get("warning") instanceof String w ? w : null);
  }
}
