package cs4j.sparsity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.backend.Backend;
import cs4j.nn.Maskable;
import cs4j.nn.Module;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Magnitude pruning removes exactly the requested count, by |w|, and masks only shrink. */
class MagnitudeTest {
  /** conv 36 weights + fc 192 = 228 masked weights, PyTorch-default random init. */
  private static Module net() {
    return new TinyNet(3);
  }

  @Test
  void globalPruningRemovesExactlyTwentyPercentOfTheRemainingEachRound() {
    Module net = net();
    Masks m = Masks.dense("tiny", net, LayerSelection.CONVS_AND_LINEAR);
    long remaining = m.total();
    for (int round = 1; round <= 6; round++) {
      Masks next = Magnitude.pruneFraction(m, net, 0.2, PruneScope.GLOBAL);
      long expected = remaining - Math.round(0.2 * remaining);
      assertEquals(expected, next.remaining(), "round " + round + " kept");
      assertTrue(next.isSubsetOf(m), "masks only shrink, round " + round);
      assertLargestKept(next, net);
      m = next;
      remaining = expected;
    }
  }

  @Test
  void layerwisePruningRemovesTwentyPercentOfEachLayer() {
    Module net = net();
    Masks m = Masks.dense("tiny", net, LayerSelection.CONVS_AND_LINEAR);
    for (int round = 1; round <= 4; round++) {
      Masks next = Magnitude.pruneFraction(m, net, 0.2, PruneScope.LAYERWISE);
      for (String layer : m.layers()) {
        long before = m.remaining(layer);
        assertEquals(
            before - Math.round(0.2 * before), next.remaining(layer), layer + " round " + round);
      }
      assertTrue(next.isSubsetOf(m));
      m = next;
    }
  }

  @Test
  void tiesAtTheThresholdStillGiveTheExactCount() {
    Module net = net();
    Map<String, Maskable> layers = LayerSelection.CONVS_AND_LINEAR.select(net);
    layers
        .values()
        .forEach(l -> Backend.of(l.weight().value().device()).fill(l.weight().value(), 0.5f));
    Masks dense = Masks.dense("tiny", net, LayerSelection.CONVS_AND_LINEAR);
    Masks pruned = Magnitude.pruneToDensity(dense, net, 0.1, PruneScope.GLOBAL);
    assertEquals(Math.round(0.1 * 228), pruned.remaining());
  }

  @Test
  void oneShotReachesTheDensityAndNeverGrowsAMask() {
    Module net = net();
    Masks dense = Masks.dense("tiny", net, LayerSelection.CONVS_AND_LINEAR);
    Masks a = Magnitude.pruneToDensity(dense, net, 0.3, PruneScope.GLOBAL);
    assertEquals(Math.round(0.3 * 228), a.remaining());
    Masks b = Magnitude.pruneToDensity(a, net, 0.5, PruneScope.GLOBAL);
    assertEquals(a.remaining(), b.remaining(), "a looser target keeps the current mask");
  }

  @Test
  void randomMasksHaveTheExactDensityAndFollowTheSeed() {
    Module net = net();
    Masks a = RandomPruning.draw("tiny", net, LayerSelection.CONVS_AND_LINEAR, 0.25, 7);
    Masks b = RandomPruning.draw("tiny", net, LayerSelection.CONVS_AND_LINEAR, 0.25, 7);
    Masks c = RandomPruning.draw("tiny", net, LayerSelection.CONVS_AND_LINEAR, 0.25, 8);
    assertEquals(57, a.remaining());
    assertTrue(a.isSubsetOf(b) && b.isSubsetOf(a), "same seed, same mask");
    assertTrue(!(a.isSubsetOf(c) && c.isSubsetOf(a)), "another seed, another mask");
  }

  /** Every kept |w| is >= every pruned |w| (among entries the mask covers). */
  private static void assertLargestKept(Masks m, Module net) {
    double minKept = Double.POSITIVE_INFINITY;
    double maxPruned = 0;
    for (Map.Entry<String, Maskable> e : m.resolve(net).entrySet()) {
      float[] w = e.getValue().weight().value().toArray();
      float[] k = m.get(e.getKey()).toArray();
      for (int i = 0; i < w.length; i++) {
        if (k[i] != 0) {
          minKept = Math.min(minKept, Math.abs(w[i]));
        } else {
          maxPruned = Math.max(maxPruned, Math.abs(w[i]));
        }
      }
    }
    assertTrue(minKept >= maxPruned, "kept min |w| " + minKept + " < pruned max |w| " + maxPruned);
  }
}
