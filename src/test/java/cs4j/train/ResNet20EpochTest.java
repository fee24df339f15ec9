package cs4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.data.Augmentation;
import cs4j.data.BatchLoader;
import cs4j.data.Dataset;
import cs4j.data.LoaderOptions;
import cs4j.data.Normalization;
import cs4j.data.RandomCropFlip;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.optim.LrSchedule;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One epoch of ResNet-20 through the real pipeline on the CPU backend: a CIFAR-10-format dataset
 * (3×32×32 bytes), the reference augmentation and normalisation, the background loader, SGD with
 * Nesterov momentum and weight decay, the trainer with its metrics file and checkpoint.
 *
 * <p>The data are synthetic so that nothing needs downloading: 128 images whose class sets a colour
 * cast (the dominant channel and its strength), under pixel noise; 2 steps of batch 64, then an
 * evaluation on one batch. It proves that the whole step runs at CIFAR shapes and moves every
 * weight, not that the network learns (one short epoch is too few).
 */
class ResNet20EpochTest {
  private static final int IMAGES = 128;
  private static final int BATCH = 64;
  private static final int CLASSES = 10;

  /** N images [3, 32, 32]: uniform noise in [0, 160) plus 90 in channel k % 3 and 9·k in all. */
  private static Dataset cifarShaped(int n, long seed) {
    Rng rng = new Rng(seed);
    int imageSize = 3 * 32 * 32;
    byte[] pixels = new byte[n * imageSize];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int k = i % CLASSES;
      labels[i] = k;
      for (int j = 0; j < imageSize; j++) {
        int channel = j / (32 * 32);
        int p = rng.nextInt(160) + 9 * k + (channel == k % 3 ? 90 : 0);
        pixels[i * imageSize + j] = (byte) p;
      }
    }
    return new Dataset("cifar-shaped", pixels, labels, 3, 32, 32, CLASSES);
  }

  @Test
  void oneEpochRunsEveryStepAndWritesMetrics(@TempDir Path runDir) throws IOException {
    Dataset data = cifarShaped(IMAGES, 3);
    BatchLoader train =
        new BatchLoader(
            data, Normalization.CIFAR10, RandomCropFlip.cifar(), LoaderOptions.training(BATCH, 7));
    int[] firstBatch = new int[BATCH];
    Arrays.setAll(firstBatch, i -> i);
    BatchLoader eval = // one batch: the pass is tested, and the test stays short
        new BatchLoader(
            data.subset(firstBatch),
            Normalization.CIFAR10,
            Augmentation.NONE,
            LoaderOptions.evaluation(BATCH));
    Module net = Models.create("resnet20", InputSpec.CIFAR10, 11);
    Map<String, float[]> before = snapshot(net);

    List<String> steps = new ArrayList<>();
    TrainingHooks countSteps =
        new TrainingHooks() {
          @Override
          public void onStepEnd(int epoch, int step) {
            steps.add(epoch + "/" + step);
          }
        };
    Sgd sgd = new Sgd(ParamGroup.nesterov(net.parameters(), 0.1, 0.9, 1e-4));
    Trainer trainer =
        new Trainer(
            net,
            List.of(sgd),
            LrSchedule.constant(),
            countSteps,
            Trainer.Options.of(1).withRunDir(runDir).withProgress(Progress.silent()));
    List<EpochMetrics> history = trainer.fit(train, eval);

    assertEquals(List.of("0/0", "0/1"), steps, "every batch of the epoch trained");
    assertEquals(1, history.size());
    EpochMetrics m = history.get(0);
    assertEquals(IMAGES / BATCH, m.globalStep(), "global step after one epoch");
    assertTrue(Double.isFinite(m.trainLoss()) && m.trainLoss() > 0, "train loss " + m);
    assertTrue(Double.isFinite(m.evalLoss()) && m.evalLoss() > 0, "eval loss " + m);
    assertTrue(m.trainAccuracy() >= 0 && m.trainAccuracy() <= 1, "train accuracy " + m);
    assertTrue(m.evalAccuracy() >= 0 && m.evalAccuracy() <= 1, "eval accuracy " + m);

    Map<String, float[]> after = snapshot(net);
    for (String name : net.namedParameters().keySet()) {
      float[] a = after.get(name);
      for (float v : a) {
        assertTrue(Float.isFinite(v), name + " stays finite");
      }
      assertFalse(Arrays.equals(before.get(name), a), name + " changed by training");
    }
    for (String name : net.namedBuffers().keySet()) {
      if (name.endsWith("running_mean")) {
        assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " tracked batches");
      }
    }

    List<String> lines = Files.readAllLines(runDir.resolve(Trainer.METRICS));
    assertEquals(1, lines.size(), "one JSONL line for the epoch: " + lines);
    assertTrue(lines.get(0).startsWith("{\"epoch\":0,\"global_step\":2,"), lines.get(0));
    assertTrue(Files.size(runDir.resolve(Trainer.CHECKPOINT)) > 4L * 272_282, "checkpoint written");
  }

  private static Map<String, float[]> snapshot(Module net) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : net.stateDict().entrySet()) {
      out.put(e.getKey(), e.getValue().toArray());
    }
    return out;
  }
}
