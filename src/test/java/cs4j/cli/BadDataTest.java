package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset files that are empty or corrupt stop a command with exit code 2 ("bad input") before any
 * training, the first line of the error naming the file and the problem.
 */
class BadDataTest {
  private static final int CIFAR_RECORD = 3073;

  @TempDir Path tmp;

  @Test
  void emptyCifarTestBatchIsBadInput() throws IOException {
    Path data = Files.createDirectories(tmp.resolve("cifar"));
    for (int b = 1; b <= 5; b++) {
      Files.write(data.resolve("data_batch_" + b + ".bin"), new byte[CIFAR_RECORD]);
    }
    Path test = Files.write(data.resolve("test_batch.bin"), new byte[0]);

    assertBadInput(test + ": empty file", "--model", "resnet20", "--dataset", "cifar10", data);
  }

  @Test
  void idxFilesWithCountZeroAreBadInput() throws IOException {
    Path data = Files.createDirectories(tmp.resolve("fashion"));
    Files.write(data.resolve("train-images-idx3-ubyte"), idx(0x803, 1, 2, 2, 0, 0, 0, 0));
    Files.write(data.resolve("train-labels-idx1-ubyte"), idx(0x801, 1, 0));
    Path testImages = Files.write(data.resolve("t10k-images-idx3-ubyte"), idx(0x803, 0, 2, 2));
    Files.write(data.resolve("t10k-labels-idx1-ubyte"), idx(0x801, 0));

    assertBadInput(
        testImages + ": image count is 0",
        "--model",
        "lenet300",
        "--dataset",
        "fashion-mnist",
        data);
  }

  private void assertBadInput(
      String firstLineHas, String model, String modelName, String dataset, String name, Path data)
      throws IOException {
    Path runs = tmp.resolve("runs");
    CliRun r =
        CliRun.of(
            "train",
            model,
            modelName,
            dataset,
            name,
            "--data-dir",
            data.toString(),
            "--epochs",
            "1",
            "--validation-size",
            "0",
            "--runs-dir",
            runs.toString(),
            "--quiet");
    assertEquals(2, r.exitCode(), r.describe());
    String first = r.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith("error: "), r.describe());
    assertTrue(first.contains(firstLineHas), "expected '" + firstLineHas + "' in\n" + r.describe());
  }

  /** An IDX file: the magic, then each value as a big-endian int for the header, bytes after. */
  private static byte[] idx(int magic, int... headerThenBytes) {
    int dims = magic & 0xFF;
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims + headerThenBytes.length - dims);
    b.putInt(magic);
    for (int i = 0; i < headerThenBytes.length; i++) {
      if (i < dims) {
        b.putInt(headerThenBytes[i]);
      } else {
        b.put((byte) headerThenBytes[i]);
      }
    }
    return b.array();
  }
}
