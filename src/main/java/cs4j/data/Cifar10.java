package cs4j.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader for CIFAR-10 in the official binary layout ({@code cifar-10-batches-bin/}): five training
 * files {@code data_batch_1.bin … data_batch_5.bin} and {@code test_batch.bin}, each a sequence of
 * 3,073-byte records: one label byte (0–9), then 3,072 pixel bytes as three 32×32 planes R, G, B
 * (C, H, W order, rows top to bottom), i.e. exactly one [3, 32, 32] image.
 */
public final class Cifar10 {
  public static final String DIRECTORY = "cifar-10-batches-bin";
  public static final List<String> TRAIN_FILES =
      List.of(
          "data_batch_1.bin",
          "data_batch_2.bin",
          "data_batch_3.bin",
          "data_batch_4.bin",
          "data_batch_5.bin");
  public static final String TEST_FILE = "test_batch.bin";
  public static final int CHANNELS = 3;
  public static final int SIDE = 32;
  public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
  public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
  public static final List<String> CLASS_NAMES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private Cifar10() {}

  /** The training set (the five data batches, in order) and the test set from {@code dir}. */
  public static TrainTest load(Path dir) throws IOException {
    List<String> missing = missingFiles(dir);
    if (!missing.isEmpty()) {
      throw new FileNotFoundException(
          "CIFAR-10: looked in " + dir.toAbsolutePath() + " for " + missing + ", not found");
    }
    List<Path> train = new ArrayList<>();
    for (String f : TRAIN_FILES) {
      train.add(dir.resolve(f));
    }
    return new TrainTest(
        read(train, "cifar-10 train"), read(List.of(dir.resolve(TEST_FILE)), "cifar-10 test"));
  }

  /**
   * The records of one or more batch files, concatenated in the given order. Each file's size is
   * checked before anything is allocated: a whole, non-zero number of records, and all of them
   * together within what one dataset holds.
   */
  public static Dataset read(List<Path> files, String name) throws IOException {
    long[] sizes = new long[files.size()];
    long total = 0;
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      sizes[i] = Files.size(f);
      long records = recordCount(f, sizes[i]);
      total += records;
      if (total * IMAGE_BYTES > Dataset.MAX_PIXEL_BYTES) {
        throw new CorruptDataException(
            f.toString(),
            0,
            records
                + " records (a CIFAR-10 batch file holds 10000) bring "
                + name
                + " to "
                + total
                + " images of "
                + IMAGE_BYTES
                + " bytes, more than one dataset holds ("
                + Dataset.MAX_PIXEL_BYTES
                + " bytes)");
      }
    }
    byte[] pixels = new byte[(int) total * IMAGE_BYTES];
    int[] labels = new int[(int) total];
    int next = 0;
    byte[] record = new byte[RECORD_BYTES];
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      long records = sizes[i] / RECORD_BYTES;
      try (InputStream in = Files.newInputStream(f);
          ExactReader r = ExactReader.plain(in, f.toString(), sizes[i])) {
        for (long k = 0; k < records; k++, next++) {
          long at = r.offset();
          r.readFully(record, 0, RECORD_BYTES, "record " + k);
          int label = record[0] & 0xFF;
          if (label >= CLASS_NAMES.size()) {
            throw new CorruptDataException(
                f.toString(), at, "record " + k + " has label " + label + ", expected 0..9");
          }
          labels[next] = label;
          System.arraycopy(record, 1, pixels, next * IMAGE_BYTES, IMAGE_BYTES);
        }
        r.expectEnd(records + " records");
      }
    }
    return new Dataset(name, pixels, labels, CHANNELS, SIDE, SIDE, CLASS_NAMES.size());
  }

  /** True if {@code dir} holds all six batch files, each a non-empty whole number of records. */
  public static boolean isComplete(Path dir) {
    if (!missingFiles(dir).isEmpty()) {
      return false;
    }
    for (String f : allFiles()) {
      try {
        long size = Files.size(dir.resolve(f));
        if (size == 0 || size % RECORD_BYTES != 0) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** The batch files that are not in {@code dir}. */
  static List<String> missingFiles(Path dir) {
    List<String> missing = new ArrayList<>();
    for (String f : allFiles()) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        missing.add(f);
      }
    }
    return missing;
  }

  private static List<String> allFiles() {
    List<String> all = new ArrayList<>(TRAIN_FILES);
    all.add(TEST_FILE);
    return all;
  }

  /** The records in {@code file} of {@code size} bytes: a whole number, at least one. */
  private static long recordCount(Path file, long size) throws IOException {
    if (size == 0) {
      throw new CorruptDataException(
          file.toString(),
          0,
          "empty file: a CIFAR-10 batch holds at least one " + RECORD_BYTES + "-byte record");
    }
    if (size % RECORD_BYTES != 0) {
      long whole = size - size % RECORD_BYTES;
      throw new CorruptDataException(
          file.toString(),
          whole,
          "file size "
              + size
              + " is not a multiple of the "
              + RECORD_BYTES
              + "-byte record: partial record of "
              + (size - whole)
              + " bytes");
    }
    return size / RECORD_BYTES;
  }
}
