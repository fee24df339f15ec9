package cs4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.data.Augmentation;
import cs4j.data.BatchLoader;
import cs4j.data.EmbeddedDatasets;
import cs4j.data.LoaderOptions;
import cs4j.data.Normalization;
import cs4j.io.Safetensors;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.optim.LrSchedule;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint is checked whole before anything is loaded: a bad entry anywhere in it (a momentum
 * of the wrong shape, momentum for a parameter without any, a stray optimiser entry, metadata that
 * is not a number) leaves the model and its optimiser exactly as they were.
 */
class CheckpointValidationTest {
  private static final String WEIGHT = "fc_layers.0.weight";
  private static final String MOMENTUM = "optim0.momentum." + WEIGHT;

  @TempDir Path tmp;

  private static Module lenet(long seed) {
    return Models.create("lenet300", InputSpec.MNIST, seed);
  }

  private static Sgd sgd(Module net, double momentum) {
    return new Sgd(new ParamGroup(net.parameters(), 0.05, momentum, 0, 0, false));
  }

  /** A valid checkpoint of a lenet300 (seed 1), its momentum filled, as a map to tamper with. */
  private static Map<String, Tensor> validTensors() {
    Module net = lenet(1);
    Map<String, Tensor> tensors = new LinkedHashMap<>(net.stateDict());
    net.namedParameters()
        .forEach(
            (name, p) ->
                tensors.put(
                    "optim0.momentum." + name, Tensor.full(0.25f, p.value().shape().dims())));
    return tensors;
  }

  private static Map<String, String> metadata(String epoch) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", Checkpoint.FORMAT);
    meta.put("epoch", epoch);
    meta.put("step", "0");
    return meta;
  }

  /** Everything {@code net} and {@code opt} hold, flattened, to compare before and after. */
  private static List<float[]> contents(Module net, Sgd opt) {
    List<float[]> all = new ArrayList<>();
    net.stateDict().values().forEach(t -> all.add(t.toArray()));
    opt.momentumBuffers().forEach(t -> all.add(t == null ? null : t.toArray()));
    return all;
  }

  /** Loads a checkpoint of {@code tensors} and {@code meta}; returns the refusal's message. */
  private String assertRefusedUntouched(
      Map<String, Tensor> tensors, Map<String, String> meta, double momentum, String expected)
      throws IOException {
    Safetensors.write(ckpt(), tensors, meta);
    Module net = lenet(2);
    Sgd opt = sgd(net, momentum);
    List<float[]> before = contents(net, opt);
    Exception e = assertThrows(Exception.class, () -> Checkpoint.load(ckpt(), net, List.of(opt)));
    assertUnchanged(before, contents(net, opt));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    return e.getMessage();
  }

  private Path ckpt() {
    return tmp.resolve("checkpoint.safetensors");
  }

  private static void assertUnchanged(List<float[]> before, List<float[]> after) {
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i), after.get(i), "entry " + i + " changed by a refused load");
    }
  }

  private void assertNamesTheFile(String message) {
    assertTrue(message.contains(ckpt().toString()), "names the file: " + message);
  }

  @Test
  void aMomentumOfTheWrongShapeIsRefusedBeforeTheWeightsAreLoaded() throws IOException {
    Map<String, Tensor> tensors = validTensors();
    tensors.put(MOMENTUM, Tensor.zeros(3, 4));
    assertNamesTheFile(assertRefusedUntouched(tensors, metadata("1"), 0.9, MOMENTUM));
  }

  @Test
  void momentumForAParameterWithoutMomentumIsRefusedBeforeLoading() throws IOException {
    assertNamesTheFile(assertRefusedUntouched(validTensors(), metadata("1"), 0, MOMENTUM));
  }

  @Test
  void aStrayOptimiserEntryIsRefusedBeforeLoading() throws IOException {
    Map<String, Tensor> tensors = validTensors();
    tensors.put("optim1.momentum." + WEIGHT, Tensor.zeros(300, 784));
    assertNamesTheFile(
        assertRefusedUntouched(tensors, metadata("1"), 0.9, "optim1.momentum." + WEIGHT));
  }

  @Test
  void aPositionThatIsNoNumberIsRefusedBeforeLoading() throws IOException {
    assertRefusedUntouched(validTensors(), metadata("five"), 0.9, "five");
  }

  /** The trainer's own metadata (the epoch's running sums) is checked before loading too. */
  @Test
  void aResumeWithBadRunningSumsLeavesTheModelUntouched() throws IOException {
    Map<String, String> meta = metadata("0");
    meta.put("step", "2");
    meta.put("epoch_images", "many");
    Path dir = Files.createDirectories(tmp.resolve("run"));
    Safetensors.write(dir.resolve(Trainer.CHECKPOINT), validTensors(), meta);
    Module net = lenet(2);
    Sgd opt = sgd(net, 0.9);
    List<float[]> before = contents(net, opt);
    BatchLoader train =
        new BatchLoader(
            EmbeddedDatasets.fashionMnistSubset().train().subset(IntStream.range(0, 100).toArray()),
            Normalization.FASHION_MNIST,
            Augmentation.NONE,
            LoaderOptions.training(50, 1));
    Trainer trainer =
        new Trainer(
            net,
            List.of(opt),
            LrSchedule.constant(),
            TrainingHooks.NONE,
            Trainer.Options.of(1).withRunDir(dir).withProgress(Progress.silent()));
    assertThrows(Exception.class, () -> trainer.fit(train, null));
    assertUnchanged(before, contents(net, opt));
  }
}
