package cs4j.sparsity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cs4j.data.Augmentation;
import cs4j.data.BatchLoader;
import cs4j.data.Dataset;
import cs4j.data.EmbeddedDatasets;
import cs4j.data.LoaderOptions;
import cs4j.data.Normalization;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.optim.LrSchedule;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.train.Progress;
import cs4j.train.Trainer;
import cs4j.train.TrainingHooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rewind point θ_k is the network before the first batch of the rewind epoch, also when a run
 * is resumed in the middle of that epoch: the resumed epoch must not take the snapshot again.
 */
class RewindSnapshotTest {
  private static final int REWIND_EPOCH = 1;

  private static BatchLoader loader() throws IOException {
    Dataset d =
        EmbeddedDatasets.fashionMnistSubset().train().subset(IntStream.range(0, 300).toArray());
    return new BatchLoader(
        d, Normalization.FASHION_MNIST, Augmentation.NONE, LoaderOptions.training(50, 3));
  }

  /** Trains 2 epochs in {@code dir}, snapshotting at epoch 1; {@code extra} may stop it. */
  private static void train(Path dir, Path rewind, TrainingHooks extra) throws IOException {
    Module net = Models.create("lenet300", InputSpec.MNIST, 11);
    Sgd sgd = new Sgd(ParamGroup.nesterov(net.parameters(), 0.05, 0.9, 1e-4));
    new Trainer(
            net,
            List.of(sgd),
            LrSchedule.constant(),
            Hooks.both(Hooks.snapshotAt(REWIND_EPOCH, net, rewind), extra),
            Trainer.Options.of(2)
                .withRunDir(dir)
                .withCheckpointEverySteps(1)
                .withProgress(Progress.silent()))
        .fit(loader(), null);
  }

  @Test
  void resumingInsideTheRewindEpochKeepsTheRewindPoint(@TempDir Path tmp) throws IOException {
    Path expected = tmp.resolve("uninterrupted.safetensors");
    train(tmp.resolve("a"), expected, TrainingHooks.NONE);

    // Killed after step 2 of the rewind epoch (its checkpoint at step 3 written), then resumed.
    Path rewind = tmp.resolve("rewind.safetensors");
    TrainingHooks killer =
        new TrainingHooks() {
          @Override
          public void onStepEnd(int epoch, int step) {
            if (epoch == REWIND_EPOCH && step == 3) {
              throw new IllegalStateException("killed");
            }
          }
        };
    assertThrows(IllegalStateException.class, () -> train(tmp.resolve("b"), rewind, killer));
    assertArrayEquals(
        Files.readAllBytes(expected), Files.readAllBytes(rewind), "rewind point before the resume");
    train(tmp.resolve("b"), rewind, TrainingHooks.NONE);
    assertArrayEquals(
        Files.readAllBytes(expected),
        Files.readAllBytes(rewind),
        "the resumed rewind epoch rewrote the rewind point with mid-epoch weights");
  }
}
