package cs4j.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The four-file layout shared by MNIST and Fashion-MNIST: {@code train-images-idx3-ubyte}, {@code
 * train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each
 * plain or with a {@code .gz} suffix (gzip). Images become [N, 1, rows, cols] datasets.
 */
public final class MnistFormat {
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
  public static final List<String> FILES =
      List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

  private MnistFormat() {}

  /** Where the four files come from: a directory or the jar's resources. */
  interface FileSet {
    /** Opens the file {@code baseName} (plain or gzip). */
    InputStream open(String baseName) throws IOException;

    /** The name of that file in error messages. */
    String describe(String baseName);

    /** The size of that file in bytes (as stored: compressed, for gzip). */
    long size(String baseName) throws IOException;
  }

  /**
   * Reads the four files from {@code dir}.
   *
   * @throws FileNotFoundException naming the directory and every missing file
   */
  public static TrainTest load(Path dir, String name, int numClasses) throws IOException {
    files(dir, name);
    return read(
        new FileSet() {
          @Override
          public InputStream open(String baseName) throws IOException {
            return Files.newInputStream(find(dir, baseName));
          }

          @Override
          public String describe(String baseName) {
            return find(dir, baseName).toString();
          }

          @Override
          public long size(String baseName) throws IOException {
            return Files.size(find(dir, baseName));
          }
        },
        name,
        numClasses);
  }

  /**
   * The four files in {@code dir}, each plain or {@code .gz}, in the order of {@link #FILES}.
   *
   * @throws FileNotFoundException naming the directory and every missing file
   */
  public static List<Path> files(Path dir, String name) throws FileNotFoundException {
    List<Path> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String base : FILES) {
      Path p = find(dir, base);
      if (p == null) {
        missing.add(base + "[.gz]");
      }
      found.add(p);
    }
    if (!missing.isEmpty()) {
      throw new FileNotFoundException(
          name + ": looked in " + dir.toAbsolutePath() + " for " + missing + ", not found");
    }
    return found;
  }

  /** True if {@code dir} holds all four files. */
  public static boolean isComplete(Path dir) {
    return FILES.stream().allMatch(base -> find(dir, base) != null);
  }

  /** {@code dir/baseName} if it is a file, else {@code dir/baseName.gz}, else null. */
  static Path find(Path dir, String baseName) {
    for (String candidate : List.of(baseName, baseName + ".gz")) {
      Path p = dir.resolve(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  static TrainTest read(FileSet files, String name, int numClasses) throws IOException {
    Dataset train = readSplit(files, TRAIN_IMAGES, TRAIN_LABELS, name + " train", numClasses);
    Dataset test = readSplit(files, TEST_IMAGES, TEST_LABELS, name + " test", numClasses);
    if (test.height() != train.height() || test.width() != train.width()) {
      throw new CorruptDataException(
          files.describe(TEST_IMAGES),
          8,
          "images of "
              + test.height()
              + "x"
              + test.width()
              + ", the training images are "
              + train.height()
              + "x"
              + train.width());
    }
    return new TrainTest(train, test);
  }

  private static Dataset readSplit(
      FileSet files, String imagesFile, String labelsFile, String name, int numClasses)
      throws IOException {
    IdxReader.Images images;
    try (InputStream in = files.open(imagesFile)) {
      images = IdxReader.readImages(in, files.describe(imagesFile), files.size(imagesFile));
    }
    int[] labels;
    try (InputStream in = files.open(labelsFile)) {
      labels =
          IdxReader.readLabels(in, files.describe(labelsFile), files.size(labelsFile), numClasses);
    }
    if (labels.length != images.count()) {
      throw new CorruptDataException(
          files.describe(labelsFile),
          4,
          labels.length
              + " labels, but "
              + files.describe(imagesFile)
              + " holds "
              + images.count()
              + " images");
    }
    return new Dataset(name, images.pixels(), labels, 1, images.rows(), images.cols(), numClasses);
  }
}
