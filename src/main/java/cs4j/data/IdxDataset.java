package cs4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Any dataset in MNIST's four-file IDX layout ({@link MnistFormat}): grey-scale images of any size,
 * labels 0 … K−1, where the class count K is one more than the largest label of either split.
 */
public final class IdxDataset {
  /** Labels are single bytes. */
  private static final int MAX_CLASSES = 256;

  private IdxDataset() {}

  /** The dataset in {@code dir}; {@code name} names it in its splits and in error messages. */
  public static TrainTest load(Path dir, String name) throws IOException {
    TrainTest raw = MnistFormat.load(dir, name, MAX_CLASSES);
    int classes = 1 + Math.max(maxLabel(raw.train()), maxLabel(raw.test()));
    return new TrainTest(withClasses(raw.train(), classes), withClasses(raw.test(), classes));
  }

  /** The largest label of {@code d}; 0 when it is empty. */
  private static int maxLabel(Dataset d) {
    int max = 0;
    for (int i = 0; i < d.size(); i++) {
      max = Math.max(max, d.label(i));
    }
    return max;
  }

  private static Dataset withClasses(Dataset d, int classes) {
    return new Dataset(
        d.name(), d.pixels(), d.labels(), d.channels(), d.height(), d.width(), classes);
  }
}
