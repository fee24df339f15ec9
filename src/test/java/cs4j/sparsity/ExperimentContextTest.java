package cs4j.sparsity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.models.InputSpec;
import cs4j.nn.Module;
import cs4j.tensor.Device;
import cs4j.train.StepListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentContextTest {
  @TempDir Path dir;

  @Test
  void theBuilderFillsTheDefaultsAndToBuilderKeepsEveryValue() {
    ExperimentContext c = CsReferenceTest.context(dir); // sets model, seed, layers, data, recipe
    assertEquals(Device.CPU, c.device());
    assertSame(StepListener.NONE, c.steps());
    assertEquals(false, c.captureSteps());
    assertEquals(null, c.eval());
    assertEquals(c, c.toBuilder().build());
    StepListener steps = m -> {};
    ExperimentContext d = c.toBuilder().steps(steps).seed(9).build();
    assertSame(steps, d.steps());
    assertEquals(9, d.seed());
    assertEquals(c.train(), d.train());
  }

  @Test
  void aRegistryModelIsBuiltFreshAndTheSameEachTimeAnOwnOneAsSupplied() {
    ExperimentContext registry =
        CsReferenceTest.context(dir).toBuilder().model("lenet300", InputSpec.MNIST).build();
    Module a = registry.newModel();
    Module b = registry.newModel();
    assertNotSame(a, b);
    assertEquals(
        a.stateDict().get("fc.weight").toArray()[3], b.stateDict().get("fc.weight").toArray()[3]);
    ExperimentContext own =
        CsReferenceTest.context(dir).toBuilder().model("tiny", CsReferenceTest::tiny).build();
    assertEquals("tiny", own.model());
    assertTrue(own.newModel() instanceof TinyNet);
  }

  @Test
  void missingPartsAreRefusedByName() {
    String msg =
        assertThrows(
                IllegalArgumentException.class,
                () -> ExperimentContext.builder().model("lenet300", InputSpec.MNIST).build())
            .getMessage();
    assertEquals("experiment: train and test data are required", msg);
    msg =
        assertThrows(
                IllegalArgumentException.class,
                () -> CsReferenceTest.context(dir).toBuilder().runDir(null).build())
            .getMessage();
    assertEquals("experiment: a run directory is required", msg);
  }
}
