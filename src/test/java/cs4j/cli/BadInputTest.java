package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.data.EmbeddedDatasets;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.sparsity.LayerSelection;
import cs4j.sparsity.Masks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input stops a command with exit code 2 and a message naming the problem (and, for unknown
 * names, the known ones), before anything is written: the runs directory stays empty.
 */
class BadInputTest {
  @TempDir Path tmp;

  private void assertRefused(String expectedInMessage, String... args) throws IOException {
    Path runs = tmp.resolve("runs");
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--runs-dir");
    all.add(runs.toString());
    CliRun r = CliRun.of(all.toArray(String[]::new));
    assertEquals(2, r.exitCode(), r.describe());
    assertTrue(
        r.err().contains(expectedInMessage),
        "expected '" + expectedInMessage + "' in\n" + r.describe());
    assertEquals(
        0, CliRun.entries(runs), "something was written under " + runs + "\n" + r.describe());
  }

  @Test
  void unknownModelListsTheKnownOnes() throws IOException {
    assertRefused(
        "unknown model 'resnet99'; known models: resnet20", "train", "--model", "resnet99");
    assertRefused("lenet300, conv4", "ticket-search", "--model", "resnet99");
  }

  @Test
  void unknownMethodListsTheKnownOnes() throws IOException {
    assertRefused(
        "unknown pruning method 'snip'; known: cs-prune, magnitude, gmp, l0, random",
        "prune",
        "--method",
        "snip");
    assertRefused(
        "unknown method 'snip'; known methods: cs, cs-prune, imp", "sweep", "--method", "snip");
  }

  @Test
  void unknownDatasetAndLayerSetListTheKnownOnes() throws IOException {
    assertRefused(
        "known datasets: fashion-mnist-subset, fashion-mnist, cifar10, idx, image-folder",
        "train",
        "--dataset",
        "mnist");
    assertRefused(
        "known: conv3x3, all-convs, linear, convs-and-linear", "imp", "--layers", "convs");
  }

  @Test
  void impossibleMethodHyperparametersAreRefused() throws IOException {
    assertRefused("lambda must be finite and >= 0, got -1.0", "ticket-search", "--lambda", "-1");
    assertRefused("rounds must be >= 1, got 0", "ticket-search", "--rounds", "0");
    assertRefused("rounds must be >= 1, got 0", "imp", "--rounds", "0");
    assertRefused("s0 must be a finite number, got NaN", "ticket-search", "--s0", "NaN");
    assertRefused("cannot use 'abc'", "ticket-search", "--s0", "abc");
    assertRefused(
        "rounds must be >= 1, got 0", "sweep", "--method", "cs", "--s0", "0,-0.1", "--rounds", "0");
  }

  @Test
  void impossibleTrainingHyperparametersAreRefused() throws IOException {
    assertRefused("--epochs must be >= 1, got 0", "train", "--epochs", "0");
    assertRefused("--lr must be finite and > 0, got NaN", "train", "--lr", "NaN");
    assertRefused("--milestones must be positive and ascending", "train", "--milestones", "5,3");
    assertRefused(
        "--validation-size must be below the 6000 training images",
        "train",
        "--validation-size",
        "6000");
  }

  @Test
  void aFlagOfAnotherMethodIsRefused() throws IOException {
    assertRefused(
        "--beta-final is not a hyperparameter of method 'magnitude' (it belongs to cs-prune)",
        "prune",
        "--method",
        "magnitude",
        "--beta-final",
        "100");
  }

  @Test
  void hyperparametersThatClashWithTheRunAreRefusedWithoutLeavingADirectory() throws IOException {
    // IMP checks its rewind epoch (default 2) against the epochs per round when it starts.
    assertRefused("rewindEpoch 2 must be < epochs per round 2", "imp", "--epochs", "2");
    assertRefused(
        "--train-size must be at most the 5400 training images of fashion-mnist-subset",
        "train",
        "--train-size",
        "5401");
  }

  @Test
  void cifarWithoutDataIsRefused() throws IOException {
    assertRefused("cifar10 needs --data-dir DIR", "train", "--model", "resnet20");
    assertRefused("VGG", "train", "--model", "vgg11", "--dataset", "fashion-mnist-subset");
  }

  @Test
  void dataFlagsTheDatasetDoesNotUseAreRefused() throws IOException {
    assertRefused(
        "--image-size is not used by dataset fashion-mnist-subset (the default for lenet300)",
        "train",
        "--image-size",
        "16");
    assertRefused(
        "--download, --cache-dir are not used by dataset idx",
        "train",
        "--dataset",
        "idx",
        "--data-dir",
        tmp.toString(),
        "--download",
        "--cache-dir",
        tmp.toString());
    assertRefused("idx needs --data-dir DIR", "train", "--dataset", "idx");
    assertRefused("image-folder needs --data-dir DIR", "train", "--dataset", "image-folder");
    assertRefused(
        "--image-size must be in [1, 4096], got 0",
        "train",
        "--dataset",
        "image-folder",
        "--data-dir",
        tmp.toString(),
        "--image-size",
        "0");
    assertRefused(
        "cannot read idx in " + tmp.toAbsolutePath() + ": idx: looked in",
        "train",
        "--dataset",
        "idx",
        "--data-dir",
        tmp.toString());
  }

  @Test
  void aMaskFileForAnotherModelIsRefused() throws IOException {
    Path conv4Masks = tmp.resolve("conv4-masks.safetensors");
    Masks.dense(
            "conv4", Models.create("conv4", InputSpec.MNIST, 1), LayerSelection.CONVS_AND_LINEAR)
        .save(conv4Masks);
    assertRefused(
        "mask file is for model 'conv4', this run uses model 'lenet300'",
        "retrain",
        "--masks",
        conv4Masks.toString());
  }

  @Test
  void aFileThatIsNoMaskFileIsRefused() throws IOException {
    Path junk = tmp.resolve("junk.safetensors");
    Files.writeString(junk, "not a safetensors file");
    assertRefused(junk.toString(), "retrain", "--masks", junk.toString());
    assertRefused("NoSuchFile", "retrain", "--masks", tmp.resolve("NoSuchFile").toString());
  }

  @Test
  void theEmbeddedDataIsThere() throws IOException {
    // The refusals above must come from the checks, not from missing data.
    assertEquals(6000, EmbeddedDatasets.fashionMnistSubset().train().size());
  }
}
