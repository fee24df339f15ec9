package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Labels from hyperparameters shaped as {@code hparams.json} holds them. */
class RunLabelsTest {
  /** A run of {@code method}; {@code training} entries override lenet300 at 3 epochs. */
  private static RunLabels.Run run(
      String dir, String method, Map<String, Object> methodHp, Map<String, Object> training) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("dataset", "fashion-mnist-subset");
    t.put("epochs", 3L);
    t.put("gamma", 0.1);
    t.put("milestones", List.of(2L));
    t.put("model", "lenet300");
    t.putAll(training);
    Map<String, Object> hp = new LinkedHashMap<>();
    hp.put("layers", "linear");
    hp.put("method", methodHp);
    hp.put("training", t);
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("hparams", hp);
    identity.put("method", method);
    return new RunLabels.Run(identity, Path.of("runs", dir));
  }

  private static Map<String, Object> cs(double s0) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lambda", 1e-8);
    m.put("rounds", 2L);
    m.put("s0", s0);
    return m;
  }

  @Test
  void runsOfAMethodAreLabelledByTheMethodHyperparametersInWhichTheyDiffer() {
    List<String> labels =
        RunLabels.of(
            List.of(
                run("a", "cs", cs(-5e-4), Map.of()),
                run("b", "cs", cs(-0.01), Map.of()),
                run("c", "imp", Map.of("rounds", 15L, "pruneRate", 0.2), Map.of())));
    assertEquals(List.of("cs s0=-0.0005", "cs s0=-0.01", "imp"), labels);
  }

  @Test
  void runsThatDifferOnlyInTrainingSayHowAndSoDoTheOtherMethodsRuns() {
    // The case: `cs s0=-0.002` at 3 and at 6 epochs had the same label.
    List<String> labels =
        RunLabels.of(
            List.of(
                run("a", "cs", cs(-0.002), Map.of()),
                run("b", "cs", cs(-0.002), Map.of("epochs", 6L, "milestones", List.of(4L))),
                run("c", "cs", cs(-0.01), Map.of()),
                run("d", "imp", Map.of("rounds", 15L), Map.of())));
    assertEquals(
        List.of(
            "cs s0=-0.002 epochs=3 milestones=2",
            "cs s0=-0.002 epochs=6 milestones=4",
            "cs s0=-0.01 epochs=3 milestones=2",
            "imp epochs=3 milestones=2"),
        labels);
  }

  @Test
  void aNameInTwoGroupsIsQualifiedByItsGroup() {
    // L0's gate stretch `gamma` and the learning-rate decay `gamma` of the training recipe.
    List<String> labels =
        RunLabels.of(
            List.of(
                run("a", "l0", Map.of("gamma", -0.1, "lambda", 1e-5), Map.of("gamma", 0.1)),
                run("b", "l0", Map.of("gamma", -0.1, "lambda", 1e-5), Map.of("gamma", 0.5)),
                run("c", "l0", Map.of("gamma", -0.2, "lambda", 1e-5), Map.of("gamma", 0.5))));
    assertEquals(
        List.of(
            "l0 gamma=-0.1 training.gamma=0.1",
            "l0 gamma=-0.1 training.gamma=0.5",
            "l0 gamma=-0.2 training.gamma=0.5"),
        labels);
  }

  @Test
  void theSameConfigurationInTwoDirectoriesIsToldApartByItsDirectory() {
    List<String> labels =
        RunLabels.of(
            List.of(
                run("a", "cs", cs(0), Map.of()),
                run("b", "cs", cs(0), Map.of()),
                run("c", "cs", cs(-0.01), Map.of())));
    assertEquals(
        List.of(
            "cs s0=0 (" + Path.of("runs", "a") + ")",
            "cs s0=0 (" + Path.of("runs", "b") + ")",
            "cs s0=-0.01"),
        labels);
  }

  @Test
  void theModelAndDatasetAreNamedWhenRunsDifferInThem() {
    List<String> labels =
        RunLabels.of(
            List.of(
                run("a", "dense", Map.of(), Map.of()),
                run("b", "dense", Map.of(), Map.of("model", "conv4"))));
    assertEquals(List.of("dense model=lenet300", "dense model=conv4"), labels);
  }
}
