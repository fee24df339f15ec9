package cs4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whole dataset folders in their real formats, written by tests of other packages: an MNIST-format
 * folder (four IDX files) and a CIFAR-10 batch folder.
 */
public final class DataFolders {
  private DataFolders() {}

  /**
   * Writes the four IDX files of an MNIST-format dataset into {@code dir}: {@code train} and {@code
   * test} images of {@code side}×{@code side}, image i labelled {@code i mod classes}, pixels
   * {@link DataFixtures#patternPixels}; gzip-compressed when {@code gzip}.
   */
  public static Path idx(Path dir, int train, int test, int side, int classes, boolean gzip)
      throws IOException {
    Files.createDirectories(dir);
    write(dir, MnistFormat.TRAIN_IMAGES, images(train, side), gzip);
    write(dir, MnistFormat.TRAIN_LABELS, DataFixtures.idxLabels(labels(train, classes)), gzip);
    write(dir, MnistFormat.TEST_IMAGES, images(test, side), gzip);
    write(dir, MnistFormat.TEST_LABELS, DataFixtures.idxLabels(labels(test, classes)), gzip);
    return dir;
  }

  /**
   * Writes CIFAR-10's six batch files into {@code dir}: {@code perBatch} records in each training
   * batch, {@code test} in the test batch, record i labelled {@code i mod 10}.
   */
  public static Path cifar(Path dir, int perBatch, int test) throws IOException {
    Files.createDirectories(dir);
    for (String f : Cifar10.TRAIN_FILES) {
      Files.write(dir.resolve(f), records(perBatch));
    }
    Files.write(dir.resolve(Cifar10.TEST_FILE), records(test));
    return dir;
  }

  private static byte[] records(int n) {
    return DataFixtures.cifarRecords(
        labels(n, Cifar10.CLASS_NAMES.size()), DataFixtures.patternPixels(n, Cifar10.IMAGE_BYTES));
  }

  private static byte[] images(int n, int side) {
    return DataFixtures.idxImages(n, side, side, DataFixtures.patternPixels(n, side * side));
  }

  private static int[] labels(int n, int classes) {
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = i % classes;
    }
    return l;
  }

  private static void write(Path dir, String base, byte[] bytes, boolean gzip) throws IOException {
    Files.write(dir.resolve(gzip ? base + ".gz" : base), gzip ? DataFixtures.gzip(bytes) : bytes);
  }
}
