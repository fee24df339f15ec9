package cs4j.cli;

import cs4j.data.Cifar10;
import cs4j.data.Cifar10Downloader;
import cs4j.data.Dataset;
import cs4j.data.EmbeddedDatasets;
import cs4j.data.FashionMnist;
import cs4j.data.FileFingerprint;
import cs4j.data.IdxDataset;
import cs4j.data.ImageCache;
import cs4j.data.ImageDecoder;
import cs4j.data.ImageFolder;
import cs4j.data.MnistFormat;
import cs4j.data.TrainTest;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of an experiment as the data flags name it ({@link DataOptions}): the dataset, where its
 * files are, and what they hold. What the data is takes part in a run's hash ({@link #identity}):
 * the {@link FileFingerprint} of its files, plus the decoding settings of an image folder (the
 * dataset's name is in the training hyperparameters). Where the files sit does not, so a moved
 * folder finds its runs again, and other files under the same flags are another run.
 *
 * <p>Both the identity and the data are worked out once, when first asked for, and kept: the runs
 * of a sweep share them. A CIFAR-10 {@code --download} happens then too. The fingerprint's cache
 * and decoded images are kept beside the data through {@link DataCaches}.
 */
final class DataSource {
  private final DatasetName dataset;
  private final Path dataDir;
  private final boolean download;
  private final Path cacheDir;
  private final ImageDecoder decoder;

  /** The files, once found (and downloaded): null for the embedded subset. */
  private record Located(Path dir, String fingerprint, ImageFolder.Listing listing) {}

  private Located located;
  private TrainTest data;

  /**
   * Data from the flags' values, already checked by {@link DataOptions}: {@code decoder} is null
   * except for an image folder.
   */
  DataSource(
      DatasetName dataset, Path dataDir, boolean download, Path cacheDir, ImageDecoder decoder) {
    this.dataset = dataset;
    this.dataDir = dataDir;
    this.download = download;
    this.cacheDir = cacheDir;
    this.decoder = decoder;
  }

  /** The embedded Fashion-MNIST subset. */
  static DataSource subset() {
    return new DataSource(DatasetName.SUBSET, null, false, null, null);
  }

  DatasetName dataset() {
    return dataset;
  }

  /** The dataset and where it is, for messages: {@code idx in /data/digits}. */
  String describe() {
    if (dataset == DatasetName.SUBSET) {
      return dataset.cliName() + " (embedded)";
    }
    Path dir = located != null ? located.dir() : dataDir;
    return dir == null ? dataset.cliName() : dataset.cliName() + " in " + dir.toAbsolutePath();
  }

  /** What the data is, for the run's hash: its fingerprint, and an image folder's settings. */
  synchronized Map<String, Object> identity() {
    Map<String, Object> id = new LinkedHashMap<>();
    id.put("fingerprint", located().fingerprint());
    if (decoder != null) {
      id.put("imageSize", decoder.side());
      id.put("channels", decoder.channels());
    }
    return id;
  }

  /** The training and test sets. */
  synchronized TrainTest read() {
    if (data == null) {
      Located at = located();
      try {
        data =
            switch (dataset) {
              case SUBSET -> EmbeddedDatasets.fashionMnistSubset();
              case FASHION_MNIST -> FashionMnist.load(at.dir());
              case IDX -> IdxDataset.load(at.dir(), dataset.cliName());
              case CIFAR10 -> Cifar10.load(at.dir());
              case IMAGE_FOLDER ->
                  new TrainTest(
                      images(at, ImageFolder.TRAIN, at.listing().train()),
                      images(at, ImageFolder.TEST, at.listing().test()));
            };
      } catch (IOException e) {
        throw cannotRead(e);
      }
    }
    return data;
  }

  private Located located() {
    if (located == null) {
      try {
        located = locate();
      } catch (IOException e) {
        throw cannotRead(e);
      }
    }
    return located;
  }

  private Located locate() throws IOException {
    return switch (dataset) {
      case SUBSET -> new Located(null, EmbeddedDatasets.fashionMnistSubsetFingerprint(), null);
      case FASHION_MNIST, IDX -> {
        Path dir = mnistDirectory();
        List<String> names = new ArrayList<>();
        MnistFormat.files(dir, dataset.cliName())
            .forEach(p -> names.add(p.getFileName().toString()));
        yield new Located(dir, fingerprint(dir, names), null);
      }
      case CIFAR10 -> {
        Path dir = cifarDirectory();
        List<String> names = new ArrayList<>(Cifar10.TRAIN_FILES);
        names.add(Cifar10.TEST_FILE);
        yield new Located(dir, fingerprint(dir, names), null);
      }
      case IMAGE_FOLDER -> {
        ImageFolder.Listing listing = ImageFolder.list(dataDir);
        yield new Located(dataDir, fingerprint(dataDir, listing.paths()), listing);
      }
    };
  }

  /**
   * The directory of an MNIST-format dataset: given, or where the OS package puts Fashion-MNIST.
   */
  private Path mnistDirectory() {
    if (dataDir != null) {
      return dataDir;
    }
    if (!FashionMnist.isInstalled()) {
      throw new BadInputException(
          "fashion-mnist: no files in "
              + FashionMnist.SYSTEM_DIR
              + "; install the OS package dataset-fashion-mnist, give --data-dir DIR, or use"
              + " --dataset fashion-mnist-subset (embedded)");
    }
    return FashionMnist.SYSTEM_DIR;
  }

  /** The fingerprint of {@code names} in {@code dir}, through the cache beside them. */
  private String fingerprint(Path dir, List<String> names) throws IOException {
    List<String> missing =
        names.stream().filter(n -> !Files.isRegularFile(dir.resolve(n))).toList();
    if (!missing.isEmpty()) {
      throw new FileNotFoundException(
          dataset.cliName()
              + ": looked in "
              + dir.toAbsolutePath()
              + " for "
              + missing
              + ", not found");
    }
    Path cache = dir.resolve(FileFingerprint.CACHE_FILE);
    FileFingerprint.Result r = FileFingerprint.of(dir, names, DataCaches.readText(cache));
    if (r.cacheChanged()) {
      DataCaches.write(cache, r.updatedCache().getBytes(StandardCharsets.UTF_8));
    }
    return r.fingerprint();
  }

  /** The directory holding CIFAR-10's batch files: given, found below the given one, or fetched. */
  private Path cifarDirectory() throws IOException {
    if (download) {
      try {
        return Cifar10Downloader.official().ensure(cacheDir != null ? cacheDir : dataDir);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("CIFAR-10 download interrupted", e);
      }
    }
    Path nested = dataDir.resolve(Cifar10.DIRECTORY);
    return Files.isDirectory(nested) ? nested : dataDir;
  }

  /**
   * The images of one split of an image folder: read back from their cache when it was made for
   * these files and settings, else decoded and cached.
   */
  private Dataset images(Located at, String split, List<ImageFolder.Entry> entries)
      throws IOException {
    String mode = decoder.side() + "px-" + (decoder.channels() == 1 ? "grey" : "rgb");
    String key = at.fingerprint() + " " + mode + " " + split;
    Path file =
        cacheDir != null
            ? cacheDir.resolve(
                "cs4j-images-"
                    + at.fingerprint().substring(0, 16)
                    + "-"
                    + mode
                    + "-"
                    + split
                    + ".bin")
            : at.dir().resolve(".cs4j-images-" + mode + "-" + split + ".bin");
    String name = dataset.cliName() + " " + split;
    Dataset cached = ImageCache.read(file, key, name);
    if (cached != null) {
      return cached;
    }
    Dataset decoded =
        ImageFolder.decode(at.dir(), entries, at.listing().classes().size(), decoder, name);
    DataCaches.write(file, ImageCache.encode(decoded, key));
    return decoded;
  }

  private BadInputException cannotRead(IOException e) {
    return new BadInputException("cannot read " + describe() + ": " + e.getMessage(), e);
  }
}
