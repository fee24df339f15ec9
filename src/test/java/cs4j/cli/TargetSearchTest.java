package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class TargetSearchTest {
  /**
   * Remaining fraction against s0 shaped like the measured ones: steep, and not monotone near 0 (a
   * dip at s0 = 0.001 below its neighbours).
   */
  private static final DoubleUnaryOperator STEEP =
      s0 -> {
        double f = Math.min(1, 0.4 * Math.exp(400 * s0));
        return Math.abs(s0 - 0.001) < 5e-4 ? f / 5 : f;
      };

  /** Probes {@code parallel} at a time until reached or {@code budget} probes; returns how many. */
  private static int run(TargetSearch search, DoubleUnaryOperator f, int parallel, int budget) {
    int ran = 0;
    while (ran < budget) {
      List<Double> next = search.next(Math.min(parallel, budget - ran));
      if (next.isEmpty()) {
        break;
      }
      next.forEach(s0 -> search.record(s0, f.applyAsDouble(s0)));
      ran += next.size();
    }
    return ran;
  }

  @Test
  void reachesSteepTargetsOneOrSeveralProbesAtATime() {
    for (double target : new double[] {0.2, 0.05, 0.01, 0.002}) {
      for (int parallel : new int[] {1, 2, 4}) {
        TargetSearch s = new TargetSearch(target, 0.1);
        int ran = run(s, STEEP, parallel, 30);
        assertTrue(s.reached(), "target " + target + " with " + parallel + ": " + s.best());
        assertTrue(ran <= 24, "target " + target + " took " + ran + " probes");
        assertTrue(s.next(parallel).isEmpty(), "nothing more to probe once reached");
      }
    }
  }

  @Test
  void startsAtZeroAndGoesSparserThenBracketsTheTarget() {
    TargetSearch s = new TargetSearch(0.05, 0.1);
    assertEquals(List.of(0.0, -0.002, -0.008), s.next(3));
    s.record(0.0, 0.4);
    s.record(-0.002, 0.18);
    s.record(-0.008, 0.016);
    List<Double> inside = s.next(3);
    assertEquals(3, inside.size());
    assertTrue(inside.stream().allMatch(x -> x > -0.008 && x < -0.002), inside.toString());
  }

  @Test
  void aTargetDenserThanEveryProbeExtendsTowardsPositiveS0() {
    TargetSearch s = new TargetSearch(0.9, 0.05);
    s.record(0.0, 0.4);
    List<Double> next = s.next(2);
    assertTrue(next.stream().allMatch(x -> x > 0), next.toString());
  }

  @Test
  void keepsTheBestProbeAndSaysWhenTheBudgetEndsOutsideTheTolerance() {
    TargetSearch s = new TargetSearch(0.05, 0.01);
    run(s, STEEP, 2, 2);
    assertFalse(s.reached());
    assertEquals(-0.002, s.best().getKey(), "0.18 is nearer 0.05 than 0.4 in log scale");
  }
}
