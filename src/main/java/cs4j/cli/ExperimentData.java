package cs4j.cli;

import cs4j.data.Augmentation;
import cs4j.data.BatchLoader;
import cs4j.data.Cifar10;
import cs4j.data.Cifar10Downloader;
import cs4j.data.Dataset;
import cs4j.data.EmbeddedDatasets;
import cs4j.data.FashionMnist;
import cs4j.data.LoaderOptions;
import cs4j.data.Normalization;
import cs4j.data.RandomCropFlip;
import cs4j.data.StratifiedSplit;
import cs4j.data.TrainTest;
import cs4j.data.TrainValidation;
import cs4j.models.InputSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The loaders of one experiment: training images (minus the held-out validation part), validation
 * and test, normalised with the dataset's statistics; CIFAR-10 training batches are augmented (flip
 * and 4-pixel padded crop, as in the CS reference code). The validation part is a stratified split
 * seeded with the run's seed, evaluated after every epoch; test accuracy is what a round reports. A
 * training size below what is left trains on a stratified sample of it (a budget, stated in the
 * hyperparameters).
 */
public record ExperimentData(
    InputSpec input, BatchLoader train, BatchLoader validation, BatchLoader test) {

  /** Images per evaluation batch (no gradients, so larger than training batches). */
  static final int EVAL_BATCH = 500;

  /** Where the data comes from; only the dataset name takes part in a run's hash. */
  public record Source(DatasetName dataset, Path dataDir, boolean download, Path cacheDir) {}

  /** Loads the data of {@code source} and builds the loaders {@code hp} asks for. */
  public static ExperimentData load(Source source, TrainingHparams hp) {
    TrainTest data = read(source);
    Dataset train = data.train();
    Dataset validation = null;
    if (hp.validationSize() > 0) {
      TrainingHparams.require(
          hp.validationSize() < train.size(),
          "--validation-size must be below the "
              + train.size()
              + " training images of "
              + source.dataset().cliName()
              + ", got "
              + hp.validationSize());
      TrainValidation split = StratifiedSplit.split(train, hp.validationSize(), hp.seed());
      train = split.train();
      validation = split.validation();
    }
    if (hp.trainSize() > 0) {
      TrainingHparams.require(
          hp.trainSize() <= train.size(),
          "--train-size must be at most the "
              + train.size()
              + " training images of "
              + source.dataset().cliName()
              + " left after validation, got "
              + hp.trainSize());
      train = StratifiedSplit.sample(train, hp.trainSize(), hp.seed());
    }
    boolean cifar = source.dataset() == DatasetName.CIFAR10;
    Normalization norm = cifar ? Normalization.CIFAR10 : Normalization.FASHION_MNIST;
    Augmentation augment = cifar ? RandomCropFlip.cifar() : Augmentation.NONE;
    return new ExperimentData(
        new InputSpec(train.channels(), train.height(), train.width(), train.numClasses()),
        new BatchLoader(train, norm, augment, LoaderOptions.training(hp.batchSize(), hp.seed())),
        validation == null
            ? null
            : new BatchLoader(
                validation, norm, Augmentation.NONE, LoaderOptions.evaluation(EVAL_BATCH)),
        new BatchLoader(
            data.test(), norm, Augmentation.NONE, LoaderOptions.evaluation(EVAL_BATCH)));
  }

  private static TrainTest read(Source s) {
    try {
      return switch (s.dataset()) {
        case SUBSET -> EmbeddedDatasets.fashionMnistSubset();
        case FASHION_MNIST ->
            s.dataDir() == null ? FashionMnist.load() : FashionMnist.load(s.dataDir());
        case CIFAR10 -> Cifar10.load(cifarDirectory(s));
      };
    } catch (IOException e) {
      throw new BadInputException(
          "cannot read " + s.dataset().cliName() + ": " + e.getMessage(), e);
    }
  }

  /** The directory holding CIFAR-10's batch files: given, found below the given one, or fetched. */
  private static Path cifarDirectory(Source s) throws IOException {
    if (s.download()) {
      Path cache = s.cacheDir() != null ? s.cacheDir() : s.dataDir();
      if (cache == null) {
        throw new BadInputException("--download needs --cache-dir DIR (or --data-dir DIR)");
      }
      try {
        return Cifar10Downloader.official().ensure(cache);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("CIFAR-10 download interrupted", e);
      }
    }
    if (s.dataDir() == null) {
      throw new BadInputException(
          "cifar10 needs --data-dir DIR (holding "
              + Cifar10.DIRECTORY
              + "/ or its files), or --download --cache-dir DIR");
    }
    Path nested = s.dataDir().resolve(Cifar10.DIRECTORY);
    return Files.isDirectory(nested) ? nested : s.dataDir();
  }
}
