package cs4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the initial mask logit s0 at which a CS run keeps a target fraction of the weights, from
 * the fractions that probe runs reached: bracket the target, then narrow the bracket.
 *
 * <p>The fraction remaining falls as s0 falls, steeply and not monotonically near 0 (16–40 % at s0
 * = 0 and 0.3–1.8 % from −0.0005 to −0.03 have been seen). So the search assumes nothing between
 * the probes: it extends the probed range by factors of {@value #GROWTH} until some pair of
 * neighbouring probes straddles the target, then probes inside the straddling pair whose ends are
 * nearest the target (one probe: where the line through the ends' log fractions crosses the target,
 * kept a tenth of the bracket away from each end; P probes: evenly spaced). The best probe seen,
 * the one nearest the target in log scale, is kept whatever the order of the answers.
 */
final class TargetSearch {
  /** How far each extension reaches beyond the probed range. */
  static final double GROWTH = 4;

  /** The first probes, densest first: s0 = 0, then −0.002·4^k. */
  static final double FIRST_STEP = -0.002;

  /** Brackets narrower than this in s0 are not split further. */
  static final double RESOLUTION = 1e-6;

  private final double target;
  private final double tolerance;
  private final TreeMap<Double, Double> probes = new TreeMap<>(); // s0 → fraction remaining

  /**
   * @param target the fraction of weights to keep, in (0, 1)
   * @param tolerance how far off counts as reached, relative: |fraction/target − 1| ≤ tolerance
   */
  TargetSearch(double target, double tolerance) {
    this.target = target;
    this.tolerance = tolerance;
  }

  /** Records that the probe at {@code s0} kept {@code fraction} of the weights. */
  void record(double s0, double fraction) {
    probes.put(s0, fraction);
  }

  /** The probe nearest the target in log scale, or null before any probe. */
  Map.Entry<Double, Double> best() {
    Map.Entry<Double, Double> best = null;
    for (Map.Entry<Double, Double> e : probes.entrySet()) {
      if (best == null || miss(e.getValue()) < miss(best.getValue())) {
        best = e;
      }
    }
    return best;
  }

  /** Whether the best probe is within the tolerance of the target. */
  boolean reached() {
    Map.Entry<Double, Double> best = best();
    return best != null && within(best.getValue());
  }

  boolean within(double fraction) {
    return Math.abs(fraction / target - 1) <= tolerance;
  }

  /**
   * Up to {@code count} new s0 values to probe next, none probed before; empty when the target is
   * reached or the bracket cannot be split further.
   */
  List<Double> next(int count) {
    List<Double> out = new ArrayList<>();
    if (reached()) {
      return out;
    }
    if (probes.isEmpty()) {
      for (int k = 0; k < count; k++) {
        out.add(k == 0 ? 0.0 : round(FIRST_STEP * Math.pow(GROWTH, k - 1)));
      }
      return out;
    }
    double[] bracket = bracket();
    if (bracket == null) {
      extend(count, out);
    } else if (bracket[1] - bracket[0] > RESOLUTION) {
      split(bracket, count, out);
    }
    out.removeIf(probes::containsKey);
    return out.stream().distinct().toList();
  }

  /** The neighbouring probes a < b with fraction(a) ≤ target ≤ fraction(b) nearest the target. */
  private double[] bracket() {
    double[] best = null;
    double bestMiss = Double.POSITIVE_INFINITY;
    Map.Entry<Double, Double> previous = null;
    for (Map.Entry<Double, Double> e : probes.entrySet()) {
      if (previous != null && previous.getValue() <= target && target <= e.getValue()) {
        double m = miss(previous.getValue()) + miss(e.getValue());
        if (m < bestMiss) {
          bestMiss = m;
          best = new double[] {previous.getKey(), e.getKey()};
        }
      }
      previous = e;
    }
    return best;
  }

  /** Probes beyond the probed range on the side of the target. */
  private void extend(int count, List<Double> out) {
    boolean tooDense = probes.values().stream().allMatch(f -> f > target);
    double edge = tooDense ? probes.firstKey() : probes.lastKey();
    for (int k = 1; k <= count; k++) {
      double step = Math.pow(GROWTH, k);
      if (tooDense) {
        out.add(round(edge < 0 ? edge * step : Math.min(edge, 0) + FIRST_STEP * step));
      } else {
        out.add(round(edge < 0 ? edge / step : Math.max(edge, 0) - FIRST_STEP * step));
      }
    }
  }

  /** Probes inside the bracket [a, b]. */
  private void split(double[] bracket, int count, List<Double> out) {
    double a = bracket[0];
    double b = bracket[1];
    if (count == 1) {
      double la = Math.log(probes.get(a));
      double lb = Math.log(probes.get(b));
      double t = lb == la ? 0.5 : (Math.log(target) - la) / (lb - la);
      t = Math.max(0.1, Math.min(0.9, t));
      out.add(round(a + t * (b - a)));
      return;
    }
    for (int i = 1; i <= count; i++) {
      out.add(round(a + (b - a) * i / (count + 1)));
    }
  }

  /** Distance from the target in log scale. */
  private double miss(double fraction) {
    return Math.abs(Math.log(Math.max(fraction, 1e-12) / target));
  }

  /** s0 to 4 significant digits, so that run labels and flags stay readable. */
  static double round(double s0) {
    return s0 == 0 ? 0 : Double.parseDouble(String.format(java.util.Locale.ROOT, "%.4g", s0));
  }
}
