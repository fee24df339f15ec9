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
 */
public record RoundResult(
    int round,
    String stage,
    SparsityReport sparsity,
    double testAccuracy,
    double testLoss,
    int epochs,
    double seconds,
    String device) {

  public double fractionRemaining() {
    return sparsity.fractionRemaining();
  }

  /** JSON fields in a fixed order. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("round", round);
    m.put("stage", stage);
    m.put("fraction_remaining", fractionRemaining());
    m.put("test_acc", testAccuracy);
    m.put("test_loss", testLoss);
    m.put("epochs", epochs);
    m.put("seconds", seconds);
    if (device != null) {
      m.put("device", device);
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
        ((Number) m.get("test_acc")).doubleValue(),
        ((Number) m.get("test_loss")).doubleValue(),
        ((Number) m.get("epochs")).intValue(),
        ((Number) m.get("seconds")).doubleValue(),
        m.get("device") instanceof String d ? d : null);
  }
}
