package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train} on the embedded subset for one epoch, then the same command again. */
class TrainCommandTest {
  @TempDir Path tmp;

  @Test
  void trainsOneEpochIntoAHashedRunDirectoryAndSkipsItTheSecondTime() throws IOException {
    Path runs = tmp.resolve("runs");
    String[] args = {"train", "--epochs", "1", "--quiet", "--runs-dir", runs.toString()};
    CliRun first = CliRun.of(args);
    assertEquals(0, first.exitCode(), first.describe());

    List<Path> dirs;
    try (Stream<Path> s = Files.list(runs)) {
      dirs = s.toList();
    }
    assertEquals(1, dirs.size(), dirs.toString());
    Path run = dirs.get(0);
    assertTrue(run.getFileName().toString().matches("dense_[0-9a-f]{12}"), run.toString());

    Map<?, ?> hparams = (Map<?, ?>) Json.parse(Files.readString(run.resolve("hparams.json")));
    Map<?, ?> training = (Map<?, ?>) ((Map<?, ?>) hparams.get("hparams")).get("training");
    assertEquals("lenet300", training.get("model"));
    assertEquals("fashion-mnist-subset", training.get("dataset"));
    assertEquals(1L, training.get("epochs"));
    assertEquals(600L, training.get("validationSize"));
    assertEquals(0L, training.get("trainSize"), "all images left after validation");

    Map<?, ?> result = (Map<?, ?>) Json.parse(Files.readString(run.resolve("round0/result.json")));
    double accuracy = ((Number) result.get("test_acc")).doubleValue();
    // One epoch of LeNet-300-100 on 5,400 images: far above chance (10%); typically ~80%.
    assertTrue(accuracy > 0.5, "test accuracy after one epoch: " + accuracy);
    assertTrue(first.out().contains("dense  |     0 | dense   |"), first.describe());
    Path metrics = run.resolve("round0/train/metrics.jsonl");
    assertEquals(1, Files.readAllLines(metrics).size());

    CliRun second = CliRun.of(args);
    assertEquals(0, second.exitCode(), second.describe());
    assertEquals(1, Files.readAllLines(metrics).size(), "the finished epoch was trained again");
    assertTrue(second.out().contains(String.format("%.2f%%", 100 * accuracy)), second.describe());
  }
}
