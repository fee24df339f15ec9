package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.data.DataFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the data is belongs to a run's identity, where it sits does not: the same flags on other
 * files are another run directory, the same files moved elsewhere are the same one.
 */
class DataIdentityTest {
  @TempDir Path tmp;

  private CliRun train(Path runs, String... data) {
    List<String> args =
        new ArrayList<>(
            List.of("train", "--epochs", "1", "--validation-size", "20", "--quiet", "--runs-dir"));
    args.add(runs.toString());
    args.addAll(List.of(data));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static List<Path> runDirs(Path runs) throws IOException {
    try (Stream<Path> s = Files.list(runs)) {
      return s.sorted().toList();
    }
  }

  @Test
  void otherFilesUnderTheSameFlagsAreAnotherRunAndMovedFilesTheSameOne() throws IOException {
    Path runs = tmp.resolve("runs");
    Path data = tmp.resolve("data");
    DataFolders.idx(data, 200, 50, 28, 10, true);
    CliRun first = train(runs, "--dataset", "fashion-mnist", "--data-dir", data.toString());
    assertEquals(0, first.exitCode(), first.describe());
    assertEquals(1, runDirs(runs).size());

    // Same flags, other content (8×8 images) in the same place: a new run, trained.
    Path other = tmp.resolve("other");
    DataFolders.idx(other, 200, 50, 8, 10, true);
    for (String f : List.of("train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz")) {
      Files.copy(other.resolve(f), data.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    CliRun second = train(runs, "--dataset", "fashion-mnist", "--data-dir", data.toString());
    assertEquals(0, second.exitCode(), second.describe());
    List<Path> dirs = runDirs(runs);
    assertEquals(2, dirs.size(), "8x8 images found the 28x28 run\n" + second.describe());

    // The same files in another place: the same run, nothing trained again.
    Path moved = tmp.resolve("moved");
    Files.move(data, moved);
    CliRun third = train(runs, "--dataset", "fashion-mnist", "--data-dir", moved.toString());
    assertEquals(0, third.exitCode(), third.describe());
    assertEquals(dirs, runDirs(runs), third.describe());
    for (Path d : dirs) {
      assertEquals(
          1,
          Files.readAllLines(d.resolve("round0/train/metrics.jsonl")).size(),
          d + " trained again");
    }
  }

  @Test
  void aDataDirectoryTheDatasetDoesNotUseIsRefused() throws IOException {
    Path runs = tmp.resolve("runs");
    Path data = DataFolders.idx(tmp.resolve("data"), 200, 50, 28, 10, true);
    CliRun r = train(runs, "--data-dir", data.toString());
    assertEquals(2, r.exitCode(), r.describe());
    assertTrue(r.err().contains("--data-dir"), r.describe());
    assertTrue(r.err().contains("fashion-mnist-subset"), r.describe());
    assertEquals(0, CliRun.entries(runs), r.describe());
  }

  @Test
  void anEmptyTestSplitIsRefusedBeforeTraining() throws IOException {
    Path runs = tmp.resolve("runs");
    Path cifar = DataFolders.cifar(tmp.resolve("cifar"), 10, 10);
    Files.write(cifar.resolve("test_batch.bin"), new byte[0]);
    CliRun r = train(runs, "--dataset", "cifar10", "--data-dir", cifar.toString());
    assertEquals(2, r.exitCode(), r.describe());
    // The reader refuses the empty file (ExperimentData would refuse an empty split after it).
    assertTrue(
        r.err().contains("cifar10") && r.err().contains("test_batch.bin: empty file"),
        r.describe());
    assertEquals(0, CliRun.entries(runs), r.describe());
  }

  @Test
  void anEmptyTrainingSplitIsRefusedBeforeTraining() throws IOException {
    Path runs = tmp.resolve("runs");
    Path data = DataFolders.idx(tmp.resolve("data"), 0, 50, 28, 10, false);
    CliRun r =
        CliRun.of(
            "train",
            "--epochs",
            "1",
            "--validation-size",
            "0",
            "--quiet",
            "--runs-dir",
            runs.toString(),
            "--dataset",
            "fashion-mnist",
            "--data-dir",
            data.toString());
    assertEquals(2, r.exitCode(), r.describe());
    assertTrue(
        r.err().contains("fashion-mnist") && r.err().contains("image count is 0"), r.describe());
    assertEquals(0, CliRun.entries(runs), r.describe());
  }
}
