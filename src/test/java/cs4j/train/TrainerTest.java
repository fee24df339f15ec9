package cs4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.data.Augmentation;
import cs4j.data.BatchLoader;
import cs4j.data.Dataset;
import cs4j.data.EmbeddedDatasets;
import cs4j.data.LoaderOptions;
import cs4j.data.Normalization;
import cs4j.data.TrainTest;
import cs4j.io.Json;
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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  private static TrainTest data;

  @BeforeAll
  static void load() throws IOException {
    data = EmbeddedDatasets.fashionMnistSubset();
  }

  private static BatchLoader trainLoader(Dataset d) {
    return new BatchLoader(
        d, Normalization.FASHION_MNIST, Augmentation.NONE, LoaderOptions.training(50, 99));
  }

  private static BatchLoader testLoader() {
    return new BatchLoader(
        data.test(), Normalization.FASHION_MNIST, Augmentation.NONE, LoaderOptions.evaluation(250));
  }

  private static Trainer trainer(Module net, int epochs, Path runDir) {
    Sgd sgd = new Sgd(ParamGroup.nesterov(net.parameters(), 0.05, 0.9, 1e-4));
    return new Trainer(
        net,
        List.of(sgd),
        LrSchedule.constant(),
        TrainingHooks.NONE,
        Trainer.Options.of(epochs).withRunDir(runDir).withProgress(Progress.silent()));
  }

  @Test
  void lenetLearnsTheEmbeddedSubsetWellAboveChance(@TempDir Path dir) throws IOException {
    Module net = Models.create("lenet300", InputSpec.MNIST, 1);
    List<EpochMetrics> history = trainer(net, 2, dir).fit(trainLoader(data.train()), testLoader());
    assertEquals(2, history.size());
    assertTrue(history.get(1).trainLoss() < history.get(0).trainLoss(), "loss falls: " + history);
    // Chance is 10%; LeNet reaches ~80% on 6k Fashion-MNIST images in two epochs.
    assertTrue(history.get(1).evalAccuracy() > 0.70, "test accuracy " + history.get(1));
    List<String> lines = Files.readAllLines(dir.resolve(Trainer.METRICS));
    assertEquals(2, lines.size(), "one JSONL line per epoch");
    assertTrue(lines.get(0).startsWith("{\"epoch\":0,"), lines.get(0));
  }

  @Test
  void resumingAKilledRunGivesTheSameWeightsAsAnUninterruptedOne(@TempDir Path dir)
      throws IOException {
    Dataset small = data.train().subset(range(600));
    // Uninterrupted: 2 epochs.
    Module a = Models.create("lenet300", InputSpec.MNIST, 5);
    trainer(a, 2, dir.resolve("a")).fit(trainLoader(small), null);

    // "Killed" in the middle of epoch 1: a checkpoint every 5 steps, training stopped by a hook
    // after step 7 of epoch 1; then a fresh process (new model, new optimiser) resumes.
    Path runB = dir.resolve("b");
    Module b1 = Models.create("lenet300", InputSpec.MNIST, 5);
    Sgd sgd1 = new Sgd(ParamGroup.nesterov(b1.parameters(), 0.05, 0.9, 1e-4));
    TrainingHooks killer =
        new TrainingHooks() {
          @Override
          public void onStepEnd(int epoch, int step) {
            if (epoch == 1 && step == 7) {
              throw new IllegalStateException("killed");
            }
          }
        };
    Trainer t1 =
        new Trainer(
            b1,
            List.of(sgd1),
            LrSchedule.constant(),
            killer,
            Trainer.Options.of(2)
                .withRunDir(runB)
                .withCheckpointEverySteps(5)
                .withProgress(Progress.silent()));
    assertThrows(IllegalStateException.class, () -> t1.fit(trainLoader(small), null));

    Module b2 = Models.create("lenet300", InputSpec.MNIST, 77); // other init: must be overwritten
    List<EpochMetrics> resumed = trainer(b2, 2, runB).fit(trainLoader(small), null);
    assertEquals(1, resumed.size(), "only epoch 1 remained");
    Map<String, Tensor> sa = a.stateDict();
    Map<String, Tensor> sb = b2.stateDict();
    for (String name : sa.keySet()) {
      assertArrayEquals(sa.get(name).toArray(), sb.get(name).toArray(), name + " bit for bit");
    }
  }

  /**
   * Hooks hear every epoch start, with the step it starts at: a resumed epoch too (MaskLogits sets
   * its temperature there), marked as not fresh (the rewind snapshot is taken only on fresh ones).
   */
  @Test
  void aResumedEpochStartsItsHooksAtTheStepItResumesAt(@TempDir Path dir) {
    Dataset small = data.train().subset(range(200));
    List<String> starts = new ArrayList<>();
    TrainingHooks hooks =
        new TrainingHooks() {
          @Override
          public void onEpochStart(int epoch, int firstStep) {
            starts.add(epoch + "@" + firstStep);
          }

          @Override
          public void onStepEnd(int epoch, int step) {
            if (starts.size() == 2 && epoch == 1 && step == 2) {
              throw new IllegalStateException("killed");
            }
          }
        };
    Supplier<Trainer> trainer =
        () -> {
          Module net = Models.create("lenet300", InputSpec.MNIST, 5);
          return new Trainer(
              net,
              List.of(new Sgd(ParamGroup.nesterov(net.parameters(), 0.05, 0.9, 1e-4))),
              LrSchedule.constant(),
              hooks,
              Trainer.Options.of(2)
                  .withRunDir(dir)
                  .withCheckpointEverySteps(1)
                  .withProgress(Progress.silent()));
        };
    // Killed in step 2 of epoch 1, before its checkpoint: the last one says (epoch 1, step 2).
    assertThrows(IllegalStateException.class, () -> trainer.get().fit(trainLoader(small), null));
    trainer.get().fit(trainLoader(small), null);
    assertEquals(List.of("0@0", "1@0", "1@2"), starts);
  }

  /**
   * A kill after an epoch's metrics line and before its checkpoint, or in the middle of the line:
   * the resumed run trains the epoch again and writes its line once.
   */
  @Test
  void aResumedEpochWritesItsMetricsLineOnce(@TempDir Path dir) throws IOException {
    Dataset small = data.train().subset(range(200));
    Path run = dir.resolve("run");
    Module net = Models.create("lenet300", InputSpec.MNIST, 5);
    trainer(net, 2, run).fit(trainLoader(small), null);
    List<String> uninterrupted = Files.readAllLines(run.resolve(Trainer.METRICS));
    assertEquals(2, uninterrupted.size());

    // Epoch 1's line is there, its checkpoint is not: the last one is epoch 0's.
    Path epoch0 = dir.resolve("epoch0.safetensors");
    trainer(Models.create("lenet300", InputSpec.MNIST, 5), 1, dir.resolve("b"))
        .fit(trainLoader(small), null);
    Files.copy(dir.resolve("b").resolve(Trainer.CHECKPOINT), epoch0);
    Files.copy(epoch0, run.resolve(Trainer.CHECKPOINT), StandardCopyOption.REPLACE_EXISTING);
    trainer(Models.create("lenet300", InputSpec.MNIST, 5), 2, run).fit(trainLoader(small), null);
    assertEquals(List.of(0, 1), epochs(run.resolve(Trainer.METRICS)));

    // A torn line: half of epoch 1's line, no newline.
    Files.writeString(
        run.resolve(Trainer.METRICS),
        uninterrupted.get(0) + "\n" + uninterrupted.get(1).substring(0, 20));
    Files.copy(epoch0, run.resolve(Trainer.CHECKPOINT), StandardCopyOption.REPLACE_EXISTING);
    trainer(Models.create("lenet300", InputSpec.MNIST, 5), 2, run).fit(trainLoader(small), null);
    assertEquals(List.of(0, 1), epochs(run.resolve(Trainer.METRICS)));
  }

  private static List<Integer> epochs(Path metrics) throws IOException {
    List<Integer> epochs = new ArrayList<>();
    for (String line : Files.readAllLines(metrics)) {
      epochs.add(((Number) ((Map<?, ?>) Json.parse(line)).get("epoch")).intValue());
    }
    return epochs;
  }

  @Test
  void aCheckpointOfAnotherArchitectureIsRefusedByName(@TempDir Path dir) throws IOException {
    Module lenet = Models.create("lenet300", InputSpec.MNIST, 1);
    Path ckpt = dir.resolve("c.safetensors");
    Checkpoint.save(ckpt, lenet, List.of(), new Checkpoint.Position(1, 0), Map.of());
    Module conv4 = Models.create("conv4", InputSpec.MNIST, 1);
    var e = assertThrows(IOException.class, () -> Checkpoint.load(ckpt, conv4, List.of()));
    assertTrue(e.getMessage().contains("another architecture"), e.getMessage());
    assertTrue(e.getMessage().contains("convs.0.weight"), e.getMessage());
  }

  @Test
  void aDivergingRunStopsNamingEpochAndStep() {
    Module net = Models.create("lenet300", InputSpec.MNIST, 1);
    Sgd sgd = new Sgd(ParamGroup.nesterov(net.parameters(), 1e6, 0.9, 0));
    Trainer t =
        new Trainer(
            net,
            List.of(sgd),
            LrSchedule.constant(),
            TrainingHooks.NONE,
            Trainer.Options.of(1).withProgress(Progress.silent()));
    var e =
        assertThrows(
            TrainingDivergedException.class,
            () -> t.fit(trainLoader(data.train().subset(range(2000))), null));
    assertEquals(0, e.epoch());
    assertTrue(e.step() > 0, "diverges after a few steps, not at the first");
    assertTrue(e.getMessage().contains("epoch 0, step " + e.step()), e.getMessage());
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }
}
