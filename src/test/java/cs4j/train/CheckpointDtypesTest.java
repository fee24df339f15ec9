package cs4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.io.Safetensors;
import cs4j.io.SafetensorsDtype;
import cs4j.io.SafetensorsFile;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints store tensors as PyTorch does: float32, except BatchNorm's {@code
 * num_batches_tracked}, an int64 counter. In memory every tensor stays float32.
 */
class CheckpointDtypesTest {
  @TempDir Path dir;

  @Test
  void batchCountersAreInt64InTheFileAndFloatInMemory() throws IOException {
    Module net = Models.create("resnet20", InputSpec.CIFAR10, 1);
    String counter = "bn0.num_batches_tracked";
    setCounter(net, counter, 12345);
    Path ckpt = dir.resolve("c.safetensors");
    Checkpoint.save(ckpt, net, List.of(), new Checkpoint.Position(1, 0), Map.of());

    SafetensorsFile f = Safetensors.read(ckpt);
    int counters = 0;
    for (String name : f.names()) {
      boolean isCounter = name.endsWith("num_batches_tracked");
      counters += isCounter ? 1 : 0;
      assertEquals(isCounter ? SafetensorsDtype.I64 : SafetensorsDtype.F32, f.dtype(name), name);
    }
    assertEquals(19, counters, "resnet20 has 19 batch-norm layers");

    Module back = Models.create("resnet20", InputSpec.CIFAR10, 2);
    Checkpoint.load(ckpt, back, List.of());
    assertEquals(12345f, back.stateDict().get(counter).item());
  }

  @Test
  void oldCheckpointsWithFloatCountersStillLoad() throws IOException {
    Module net = Models.create("resnet20", InputSpec.CIFAR10, 1);
    setCounter(net, "bn0.num_batches_tracked", 7);
    Path ckpt = dir.resolve("old.safetensors");
    Checkpoint.save(ckpt, net, List.of(), new Checkpoint.Position(1, 0), Map.of());
    // Rewrite it all-F32, as cs4j wrote checkpoints before.
    SafetensorsFile f = Safetensors.read(ckpt);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (String name : f.names()) {
      tensors.put(name, f.tensor(name));
    }
    Safetensors.write(ckpt, tensors, f.metadata());
    assertEquals(SafetensorsDtype.F32, Safetensors.read(ckpt).dtype("bn0.num_batches_tracked"));

    Module back = Models.create("resnet20", InputSpec.CIFAR10, 2);
    Checkpoint.load(ckpt, back, List.of());
    assertEquals(7f, back.stateDict().get("bn0.num_batches_tracked").item());
    assertArrayEquals(
        net.stateDict().get("conv0.weight").toArray(),
        back.stateDict().get("conv0.weight").toArray());
  }

  private static void setCounter(Module net, String name, float value) {
    Map<String, Tensor> state = new LinkedHashMap<>(net.stateDict());
    assertTrue(state.containsKey(name), state.keySet().toString());
    state.put(name, Tensor.scalar(value));
    net.loadStateDict(state);
  }
}
