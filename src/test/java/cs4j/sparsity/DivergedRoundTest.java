package cs4j.sparsity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.train.Evaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training that diverges ends a method's round with a warning, not with an exception. */
class DivergedRoundTest {
  @TempDir Path dir;

  @Test
  void aSearchThatDivergesIsAFinishedRoundWithAWarningAndEndsTheRun() throws IOException {
    ExperimentContext ctx =
        CsReferenceTest.context(dir)
            .withRecipe(new TrainingRecipe(4, 1e6, 0.9, true, 0, List.of(3), 0.1, 0));
    ContinuousSparsification cs = new ContinuousSparsification(CsReferenceTest.CONFIG);
    List<RoundResult> rounds = cs.run(ctx, CsReferenceTest::tiny, RoundListener.NONE);
    assertEquals(1, rounds.size(), "the rounds after a diverged search are not run: " + rounds);
    RoundResult r = rounds.get(0);
    assertEquals("search", r.stage());
    assertTrue(r.failed());
    assertTrue(r.warning().startsWith("training diverged at epoch "), r.warning());
    assertTrue(r.warning().contains("lower --lr"), r.warning());
    assertTrue(Files.readString(ctx.roundDir(0).resolve("result.json")).contains("\"warning\""));

    List<RoundResult> again = cs.run(ctx, CsReferenceTest::tiny, RoundListener.NONE);
    assertEquals(rounds, again, "a rerun reads the diverged round back and stops there");
  }

  @Test
  void warningsSayWhatFailedAndTheLikelyCause() {
    String cause = RoundWarnings.ticketScale(2, "--ticket-keeps-scale false");
    assertNull(RoundWarnings.of(new Evaluation.Result(0.5, 0.151, 100, 10), null, cause));
    String chance = RoundWarnings.of(new Evaluation.Result(2.3, 0.149, 100, 10), null, cause);
    assertTrue(
        chance.startsWith("test accuracy 14.90% is near chance (10 classes: 10.00%)"), chance);
    assertTrue(
        chance.contains("c = 2.00") && chance.contains("--ticket-keeps-scale false"), chance);
    String nan =
        RoundWarnings.of(new Evaluation.Result(Double.NaN, Double.NaN, 100, 10), null, "x");
    assertEquals("test accuracy NaN is not a number; likely cause: x", nan);
  }

  @Test
  void aResultWithoutAFiniteLossOrAWarningSurvivesItsJson() {
    RoundResult r =
        new RoundResult(
            0,
            "ticket",
            new SparsityReport(List.of(new SparsityReport.Layer("fc", 10, 5))),
            0.1,
            Double.NaN,
            2,
            1.0,
            "cpu",
            "diverged");
    RoundResult back = RoundResult.fromMap(r.toMap());
    assertEquals(r, back);
    assertEquals(null, r.toMap().get("test_loss"));
  }
}
