package cs4j.cli;

import cs4j.data.ImageDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which dataset, and where its files are. A flag that the chosen dataset does not use is refused
 * rather than ignored: {@code --data-dir} without {@code --dataset} would otherwise train the
 * model's default dataset while the user believes it trains theirs.
 */
public final class DataOptions {
  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      description =
          "fashion-mnist-subset (embedded, the default for lenet300/conv4), fashion-mnist (OS"
              + " package dataset-fashion-mnist or --data-dir), idx (any MNIST-format --data-dir),"
              + " cifar10 (--data-dir or --download; the default for ResNet/VGG), image-folder"
              + " (--data-dir holding train/<class>/*.png|jpg and test/<class>/...)")
  String dataset;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "directory holding the dataset's files")
  Path dataDir;

  @Option(
      names = "--download",
      description = "cifar10: download the official archive into --cache-dir once (MD5-checked)")
  boolean download;

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description =
          "cifar10: where --download keeps CIFAR-10 (default: --data-dir); image-folder: where the"
              + " decoded images are kept (default: --data-dir)")
  Path cacheDir;

  @Option(
      names = "--image-size",
      paramLabel = "PIXELS",
      description =
          "image-folder: the side the images are brought to (centre square, resampled; default:"
              + " 32)")
  Integer imageSize;

  @Option(names = "--grayscale", description = "image-folder: one grey channel instead of R, G, B")
  boolean grayscale;

  static final int DEFAULT_IMAGE_SIZE = 32;

  /** Takes a relative {@code --data-dir} and {@code --cache-dir} from {@code base}. */
  void resolveAgainst(Path base) {
    dataDir = dataDir == null ? null : base.resolve(dataDir);
    cacheDir = cacheDir == null ? null : base.resolve(cacheDir);
  }

  /** The dataset named, or the model's default one. */
  private DatasetName datasetFor(String model) {
    return DatasetName.fromCli(dataset != null ? dataset : ModelDefaults.dataset(model));
  }

  /** The data these flags name for {@code model}; flags the dataset does not use are refused. */
  DataSource source(String model) {
    DatasetName d = datasetFor(model);
    String which =
        "dataset " + d.cliName() + (dataset == null ? " (the default for " + model + ")" : "");
    List<String> unused = new ArrayList<>();
    boolean usesDir = d != DatasetName.SUBSET;
    boolean cifar = d == DatasetName.CIFAR10;
    boolean images = d == DatasetName.IMAGE_FOLDER;
    if (dataDir != null && !usesDir) {
      unused.add("--data-dir");
    }
    if (download && !cifar) {
      unused.add("--download");
    }
    if (cacheDir != null && !(cifar && download) && !images) {
      unused.add("--cache-dir");
    }
    if (imageSize != null && !images) {
      unused.add("--image-size");
    }
    if (grayscale && !images) {
      unused.add("--grayscale");
    }
    if (!unused.isEmpty()) {
      throw new BadInputException(
          String.join(", ", unused)
              + (unused.size() == 1 ? " is" : " are")
              + " not used by "
              + which
              + (dataDir != null && !usesDir
                  ? "; name the format of the files in --data-dir with --dataset fashion-mnist,"
                      + " idx, cifar10 or image-folder"
                  : ""));
    }
    boolean needsDir = d == DatasetName.IDX || images || (cifar && !download);
    if (needsDir && dataDir == null) {
      throw new BadInputException(
          d.cliName()
              + " needs --data-dir DIR ("
              + switch (d) {
                case CIFAR10 ->
                    "holding cifar-10-batches-bin/ or its files), or --download"
                        + " --cache-dir DIR";
                case IDX -> "holding train-images-idx3-ubyte[.gz] and the other three IDX files)";
                default -> "holding train/<class>/*.png|jpg and test/<class>/*)";
              });
    }
    if (cifar && download && cacheDir == null && dataDir == null) {
      throw new BadInputException("--download needs --cache-dir DIR (or --data-dir DIR)");
    }
    ImageDecoder decoder = null;
    if (images) {
      int side = imageSize != null ? imageSize : DEFAULT_IMAGE_SIZE;
      TrainingHparams.require(
          side >= 1 && side <= ImageDecoder.MAX_SIDE,
          "--image-size must be in [1, " + ImageDecoder.MAX_SIDE + "], got " + side);
      decoder = new ImageDecoder(side, grayscale ? 1 : 3);
    }
    return new DataSource(d, dataDir, download, cacheDir, decoder);
  }
}
