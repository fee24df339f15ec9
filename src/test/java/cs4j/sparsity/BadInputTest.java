package cs4j.sparsity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unknown names, impossible hyperparameters and foreign mask files are refused clearly. */
class BadInputTest {
  private static String refused(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void unknownMethodListsTheKnownOnes() {
    String msg = refused(() -> Methods.create("lottery"));
    assertTrue(msg.contains("unknown method 'lottery'") && msg.contains("cs, cs-prune, imp"), msg);
  }

  @Test
  void everyRegisteredMethodBuildsWithItsDefaults() {
    for (String name : Methods.names()) {
      PruningMethod m = Methods.create(name);
      assertEquals(name, m.name());
      assertEquals(m.hyperparameters(), Hyperparameters.toMap(Methods.defaults(name)));
    }
  }

  @Test
  void overridesAreParsedAndValidated() {
    PruningMethod cs =
        Methods.create("cs", Map.of("s0", "-0.1", "softReset", "paper", "rounds", "5"));
    assertEquals(-0.1, cs.hyperparameters().get("s0"));
    assertEquals("PAPER", cs.hyperparameters().get("softReset"));
    assertEquals(5, cs.hyperparameters().get("rounds"));

    assertTrue(refused(() -> Methods.create("cs", Map.of("lambda", "-1"))).contains("lambda"));
    assertTrue(refused(() -> Methods.create("cs", Map.of("rounds", "0"))).contains("rounds"));
    assertTrue(refused(() -> Methods.create("cs", Map.of("s0", "NaN"))).contains("s0"));
    assertTrue(
        refused(() -> Methods.create("imp", Map.of("pruneRate", "1.5"))).contains("pruneRate"));
    assertTrue(refused(() -> Methods.create("imp", Map.of("pruneRate", "0"))).contains("(0, 1)"));
    assertTrue(refused(() -> Methods.create("l0", Map.of("gamma", "0.2"))).contains("gamma"));
    assertTrue(
        refused(() -> Methods.create("random", Map.of("fractionRemaining", "0")))
            .contains("fractionRemaining"));
    String unknownKey = refused(() -> Methods.create("cs", Map.of("temperature", "3")));
    assertTrue(
        unknownKey.contains("unknown hyperparameter 'temperature'")
            && unknownKey.contains("betaFinal"),
        unknownKey);
    String badEnum = refused(() -> Methods.create("cs", Map.of("softReset", "sometimes")));
    assertTrue(badEnum.contains("reference-code, paper"), badEnum);
    String badNumber = refused(() -> Methods.create("cs", Map.of("rounds", "three")));
    assertTrue(badNumber.contains("Config.rounds: cannot use 'three'"), badNumber);
  }

  @Test
  void aMaskFileForAnotherModelIsRefused(@TempDir Path dir) throws Exception {
    Module lenet = Models.create("lenet300", InputSpec.MNIST, 1);
    Module conv4 = Models.create("conv4", InputSpec.MNIST, 1);
    Path file = dir.resolve("masks.safetensors");
    Masks.dense("lenet300", lenet, LayerSelection.LINEAR).save(file);

    String other =
        assertThrows(
                IOException.class,
                () -> Masks.load(file, "conv4", conv4, LayerSelection.CONVS_AND_LINEAR))
            .getMessage();
    assertTrue(
        other.contains("mask file is for model 'lenet300', this run uses model 'conv4'"), other);
    Module wider = Models.create("lenet300", InputSpec.CIFAR10, 1); // 3072 inputs, not 784
    String shapes =
        assertThrows(
                IOException.class, () -> Masks.load(file, "lenet300", wider, LayerSelection.LINEAR))
            .getMessage();
    assertTrue(shapes.contains(file + ": mask 'fc_layers.0.mask' has shape"), shapes);
    Masks back = Masks.load(file, "lenet300", lenet, LayerSelection.LINEAR);
    assertEquals(784 * 300 + 300 * 100 + 100 * 10, back.total());
    assertTrue(back.tensors().keySet().contains("fc_layers.0"));
  }

  @Test
  void masksMustBeBinary() {
    Module lenet = Models.create("lenet300", InputSpec.MNIST, 1);
    var w = LayerSelection.LINEAR.select(lenet).get("fc").weight().value();
    String msg = refused(() -> Masks.of("lenet300", Map.of("fc", w)));
    assertTrue(msg.contains("expected 0 or 1"), msg);
  }

  @Test
  void anUnknownModelFailsBeforeAnythingIsWritten(@TempDir Path dir) {
    Path run = dir.resolve("run");
    ExperimentContext ctx =
        CsReferenceTest.context(dir).toBuilder()
            .model("resnet21", InputSpec.MNIST)
            .layers(LayerSelection.LINEAR)
            .recipe(TrainingRecipe.reference())
            .runDir(run)
            .build();
    for (String name : Methods.names()) {
      String msg =
          refused(
              () -> {
                try {
                  Methods.create(name).run(ctx, RoundListener.NONE);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      assertTrue(msg.contains("unknown model 'resnet21'"), name + ": " + msg);
      assertFalse(Files.exists(run), name + " wrote " + run);
    }
  }

  @Test
  void rewindEpochBeyondTheRoundIsRefused(@TempDir Path dir) {
    ExperimentContext ctx = CsReferenceTest.context(dir); // 4 epochs per round
    ContinuousSparsification cs =
        new ContinuousSparsification(
            (ContinuousSparsification.Config)
                Hyperparameters.override(CsReferenceTest.CONFIG, Map.of("rewindEpoch", "4")));
    String msg =
        refused(
            () -> {
              try {
                cs.run(ctx, CsReferenceTest::tiny, RoundListener.NONE);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertTrue(msg.contains("rewindEpoch 4 must be < epochs per round 4"), msg);
  }
}
