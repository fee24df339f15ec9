package cs4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.data.Augmentation;
import cs4j.data.BatchLoader;
import cs4j.data.Dataset;
import cs4j.data.LoaderOptions;
import cs4j.data.Normalization;
import cs4j.io.Safetensors;
import cs4j.io.SafetensorsFile;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.optim.LrSchedule;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint's numeric metadata is validated: anything but a count is an error naming the file.
 */
class CheckpointMetadataTest {
  @TempDir Path dir;

  @Test
  void epochAndStepMustBeCounts() throws IOException {
    Module net = Models.create("lenet300", InputSpec.MNIST, 1);
    Module other = Models.create("lenet300", InputSpec.MNIST, 2);
    float[] otherWeights = other.stateDict().get("fc_layers.0.weight").toArray();
    Path ckpt = dir.resolve("c.safetensors");
    for (String key : List.of("epoch", "step")) {
      for (String bad : List.of("five", "-1", "1.5", "", "99999999999")) {
        Checkpoint.save(ckpt, net, List.of(), new Checkpoint.Position(3, 4), Map.of());
        setMetadata(ckpt, key, bad);
        IOException e =
            assertThrows(IOException.class, () -> Checkpoint.load(ckpt, other, List.of()));
        assertEquals(
            ckpt + ": metadata '" + key + "' must be an integer >= 0, got \"" + bad + "\"",
            e.getMessage());
        assertArrayEquals(
            otherWeights,
            other.stateDict().get("fc_layers.0.weight").toArray(),
            "refused before any weight was written");
      }
    }
    Checkpoint.save(ckpt, net, List.of(), new Checkpoint.Position(3, 4), Map.of());
    assertEquals(new Checkpoint.Position(3, 4), Checkpoint.load(ckpt, net, List.of()).position());
  }

  @Test
  void resumeRefusesEpochSumsThatAreNotNumbers() throws IOException {
    for (String[] bad :
        List.of(
            new String[] {"epoch_loss_sum", "NaN"},
            new String[] {"epoch_loss_sum", "lots"},
            new String[] {"epoch_correct", "many"},
            new String[] {"epoch_images", "-5"})) {
      Path run = dir.resolve(bad[0] + bad[1]);
      Module net = Models.create("lenet300", InputSpec.MNIST, 1);
      trainer(net, 1, run).fit(loader(), null);
      Path ckpt = run.resolve(Trainer.CHECKPOINT);
      setMetadata(ckpt, bad[0], bad[1]);

      UncheckedIOException e =
          assertThrows(UncheckedIOException.class, () -> trainer(net, 2, run).fit(loader(), null));
      assertInstanceOf(IOException.class, e.getCause());
      assertTrue(
          e.getCause().getMessage().startsWith(ckpt + ": metadata '" + bad[0] + "' must be"),
          e.getCause().getMessage());
    }
  }

  private static Trainer trainer(Module net, int epochs, Path runDir) {
    return new Trainer(
        net,
        List.of(new Sgd(ParamGroup.nesterov(net.parameters(), 0.05, 0.9, 0))),
        LrSchedule.constant(),
        TrainingHooks.NONE,
        Trainer.Options.of(epochs).withRunDir(runDir).withProgress(Progress.silent()));
  }

  private static BatchLoader loader() {
    Dataset d = new Dataset("two", new byte[2 * 28 * 28], new int[] {0, 1}, 1, 28, 28, 10);
    return new BatchLoader(
        d, Normalization.FASHION_MNIST, Augmentation.NONE, LoaderOptions.training(2, 1));
  }

  /** Rewrites {@code file} with metadata {@code key} set to {@code value}, tensors unchanged. */
  private static void setMetadata(Path file, String key, String value) throws IOException {
    SafetensorsFile f = Safetensors.read(file);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (String name : f.names()) {
      tensors.put(name, f.tensor(name));
    }
    Map<String, String> meta = new LinkedHashMap<>(f.metadata());
    meta.put(key, value);
    Safetensors.write(file, tensors, meta);
  }
}
