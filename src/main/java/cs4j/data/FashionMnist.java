package cs4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao et al. 2017): 60,000 training and 10,000 test grey-scale 28×28 images of
 * clothing in 10 classes, in the MNIST file layout ({@link MnistFormat}).
 */
public final class FashionMnist {
  /**
   * Where the OS package {@code dataset-fashion-mnist} installs the four gzip files: the data of
   * {@code --dataset fashion-mnist} without {@code --data-dir}.
   */
  public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  public static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  private FashionMnist() {}

  /** True if the OS package's files are present. */
  public static boolean isInstalled() {
    return MnistFormat.isComplete(SYSTEM_DIR);
  }

  /** The dataset from {@code dir}, which holds the four files, plain or gzip-compressed. */
  public static TrainTest load(Path dir) throws IOException {
    return MnistFormat.load(dir, "fashion-mnist", CLASS_NAMES.size());
  }
}
