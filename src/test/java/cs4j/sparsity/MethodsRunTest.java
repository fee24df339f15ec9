package cs4j.sparsity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.io.Safetensors;
import cs4j.io.SafetensorsFile;
import cs4j.nn.Module;
import cs4j.tensor.Tensor;
import cs4j.testing.TensorAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every method end to end on the tiny network and data of the CS reference fixture (2 epochs per
 * phase): exact sparsity reached, masks only shrink, rewinding is bit for bit, finished rounds are
 * skipped and an unfinished one is redone identically.
 */
class MethodsRunTest {
  private static ExperimentContext ctx(Path dir) {
    return CsReferenceTest.context(dir)
        .withRecipe(new TrainingRecipe(2, 0.1, 0.9, true, 1e-4, List.of(1), 0.1, 0));
  }

  private static Masks masks(ExperimentContext ctx, int round) throws IOException {
    return Masks.load(
        ctx.roundDir(round).resolve(RunFiles.MASKS), "tiny", CsReferenceTest.tiny(), ctx.layers());
  }

  @Test
  void impShrinksMasksByTheExactFractionAndRewindsBitForBit(@TempDir Path dir) throws IOException {
    ExperimentContext ctx = ctx(dir);
    Imp imp = new Imp("imp", new Imp.Config(3, 0.2, PruneScope.GLOBAL, true, 1));
    List<RoundResult> results = imp.run(ctx, CsReferenceTest::tiny, RoundListener.NONE);
    assertEquals(List.of(228L, 182L, 146L), remaining(results));
    assertTrue(masks(ctx, 1).isSubsetOf(masks(ctx, 0)));
    assertTrue(masks(ctx, 2).isSubsetOf(masks(ctx, 1)));

    // The rewind point restores every tensor of the snapshot bit for bit.
    Module net = CsReferenceTest.tiny();
    RunFiles.restoreSnapshot(dir.resolve(RunFiles.REWIND), net);
    SafetensorsFile snap = Safetensors.read(dir.resolve(RunFiles.REWIND));
    for (Map.Entry<String, Tensor> e : net.stateDict().entrySet()) {
      TensorAssert.assertClose(snap.tensor(e.getKey()), e.getValue(), 0, 0, e.getKey());
    }
    // ... which is not the initial state: it was taken after one epoch.
    float[] initial = CsReferenceTest.tiny().stateDict().get("fc.weight").toArray();
    assertTrue(snap.tensor("fc.weight").toArray()[0] != initial[0], "snapshot after training");
  }

  @Test
  void rerunSkipsFinishedRoundsAndRedoesAnUnfinishedOneIdentically(@TempDir Path dir)
      throws IOException {
    ExperimentContext ctx = ctx(dir);
    Imp imp = new Imp("imp-continued", new Imp.Config(2, 0.2, PruneScope.GLOBAL, false, 0));
    List<RoundResult> first = imp.run(ctx, CsReferenceTest::tiny, RoundListener.NONE);
    Files.delete(ctx.roundDir(1).resolve(RunFiles.RESULT));
    deleteTree(ctx.roundDir(1).resolve("train"));
    List<RoundResult> heard = new ArrayList<>();
    List<RoundResult> second = imp.run(ctx, CsReferenceTest::tiny, heard::add);
    assertEquals(first.get(0), second.get(0), "round 0 read back");
    assertEquals(first.get(1).testAccuracy(), second.get(1).testAccuracy());
    assertEquals(first.get(1).testLoss(), second.get(1).testLoss(), "redone bit for bit");
    assertEquals(second, heard);
  }

  @Test
  void eachPruningMethodReachesItsDensity(@TempDir Path dir) throws IOException {
    List<RoundResult> mag =
        new MagnitudePruning(new MagnitudePruning.Config(0.2, PruneScope.GLOBAL, 1))
            .run(ctx(dir.resolve("m")), CsReferenceTest::tiny, RoundListener.NONE);
    assertEquals(List.of(228L, 46L), remaining(mag));

    List<RoundResult> rnd =
        new RandomPruning(new RandomPruning.Config(0.5))
            .run(ctx(dir.resolve("r")), CsReferenceTest::tiny, RoundListener.NONE);
    assertEquals(List.of(114L), remaining(rnd));

    List<RoundResult> gmp =
        new Gmp(new Gmp.Config(0.1, 0.0, 0.0, 0.75, 2, PruneScope.GLOBAL))
            .run(ctx(dir.resolve("g")), CsReferenceTest::tiny, RoundListener.NONE);
    assertEquals(List.of(23L), remaining(gmp));

    List<RoundResult> cs =
        new CsPruning(
                new CsPruning.Config(
                    0.0,
                    0.005,
                    200,
                    ContinuousSparsification.BetaSchedule.PER_ITERATION,
                    true,
                    1.0,
                    1))
            .run(ctx(dir.resolve("c")), CsReferenceTest::tiny, RoundListener.NONE);
    assertEquals("pruned", cs.get(0).stage());
    assertTrue(cs.get(0).fractionRemaining() < 1.0, "CS pruned something: " + cs);

    List<RoundResult> l0 =
        new L0(new L0.Config(1e-3, 0.5, 0.01, 2.0 / 3, -0.1, 1.1, 1.0, 1))
            .run(ctx(dir.resolve("l")), CsReferenceTest::tiny, RoundListener.NONE);
    assertEquals("pruned", l0.get(0).stage());
    assertTrue(Files.exists(dir.resolve("l").resolve("round0").resolve(RunFiles.MASKS)));
  }

  @Test
  void gmpFollowsTheCubicSchedule() {
    assertEquals(0.0, Gmp.sparsityAt(0.0, 0.9, 10, 10, 100), 1e-12);
    assertEquals(0.9, Gmp.sparsityAt(0.0, 0.9, 110, 10, 100), 1e-12);
    assertEquals(0.9 - 0.9 * 0.125, Gmp.sparsityAt(0.0, 0.9, 60, 10, 100), 1e-12);
    assertEquals(0.9, Gmp.sparsityAt(0.0, 0.9, 500, 10, 100), 1e-12, "stays at s_f after the end");
  }

  private static List<Long> remaining(List<RoundResult> rs) {
    return rs.stream().map(r -> r.sparsity().remaining()).toList();
  }

  private static void deleteTree(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
