package cs4j.sparsity;

import cs4j.backend.HostTransfer;
import cs4j.nn.Maskable;
import cs4j.nn.Module;
import cs4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongBinaryOperator;

/**
 * Magnitude pruning of masks: among the weights a mask still keeps, keep the ones with the largest
 * |w|. Masks only shrink. The weights of all layers come to the host in one transfer per pruning
 * event, where the threshold is chosen. Counts are exact: ties at the threshold are broken by
 * position (layer order, then flat index; earlier kept), so the number of kept weights is always
 * the target.
 */
final class Magnitude {
  private Magnitude() {}

  /** Removes round(rate·remaining) surviving weights (per layer for LAYERWISE): one IMP step. */
  static Masks pruneFraction(Masks current, Module net, double rate, PruneScope scope) {
    return prune(
        current, net, scope, (total, remaining) -> remaining - Math.round(rate * remaining));
  }

  /**
   * Keeps round(density·total) weights (per layer for LAYERWISE), or all survivors if fewer remain
   * already: one-shot pruning and each GMP step.
   */
  static Masks pruneToDensity(Masks current, Module net, double density, PruneScope scope) {
    return prune(
        current,
        net,
        scope,
        (total, remaining) -> Math.min(remaining, Math.round(density * total)));
  }

  /**
   * @param keepCount (entries, surviving entries) → how many to keep, of the whole selection
   *     (GLOBAL) or of each layer (LAYERWISE)
   */
  private static Masks prune(
      Masks current, Module net, PruneScope scope, LongBinaryOperator keepCount) {
    Map<String, Maskable> layers = current.resolve(net);
    List<float[]> masks = new ArrayList<>();
    List<Tensor> weightTensors = new ArrayList<>();
    for (String name : layers.keySet()) {
      masks.add(current.get(name).toArray());
      weightTensors.add(layers.get(name).weight().value());
    }
    List<float[]> weights = List.of(HostTransfer.download(weightTensors)); // one device sync
    if (scope == PruneScope.GLOBAL) {
      long total = 0;
      long remaining = 0;
      for (float[] m : masks) {
        total += m.length;
        remaining += count(m);
      }
      keepLargest(masks, weights, keepCount.applyAsLong(total, remaining));
    } else {
      for (int i = 0; i < masks.size(); i++) {
        List<float[]> m = List.of(masks.get(i));
        keepLargest(
            m,
            List.of(weights.get(i)),
            keepCount.applyAsLong(masks.get(i).length, count(masks.get(i))));
      }
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    int i = 0;
    for (String name : layers.keySet()) {
      out.put(name, Tensor.of(masks.get(i++), current.get(name).shape().dims()));
    }
    return Masks.of(current.model(), out);
  }

  private static long count(float[] m) {
    long n = 0;
    for (float v : m) {
      if (v != 0f) {
        n++;
      }
    }
    return n;
  }

  /**
   * Zeroes mask entries in place so that exactly {@code keep} survivors remain, largest |w| kept.
   */
  private static void keepLargest(List<float[]> masks, List<float[]> weights, long keep) {
    int survivors = 0;
    for (float[] m : masks) {
      survivors += (int) count(m);
    }
    if (keep >= survivors) {
      return;
    }
    float[] mags = new float[survivors];
    int j = 0;
    for (int l = 0; l < masks.size(); l++) {
      float[] m = masks.get(l);
      float[] w = weights.get(l);
      for (int i = 0; i < m.length; i++) {
        if (m[i] != 0f) {
          mags[j++] = Math.abs(w[i]);
        }
      }
    }
    float threshold = Float.POSITIVE_INFINITY;
    long above = 0;
    if (keep > 0) {
      float[] sorted = mags.clone();
      Arrays.sort(sorted);
      threshold = sorted[survivors - (int) keep]; // the keep-th largest magnitude
      for (float v : mags) {
        if (v > threshold) {
          above++;
        }
      }
    }
    long ties = keep - above;
    for (int l = 0; l < masks.size(); l++) {
      float[] m = masks.get(l);
      float[] w = weights.get(l);
      for (int i = 0; i < m.length; i++) {
        if (m[i] == 0f) {
          continue;
        }
        float a = Math.abs(w[i]);
        if (a > threshold) {
          continue;
        }
        if (a == threshold && ties > 0) {
          ties--;
          continue;
        }
        m[i] = 0f;
      }
    }
  }
}
