package cs4j.cli;

import cs4j.data.Augmentation;
import cs4j.data.BatchLoader;
import cs4j.data.Dataset;
import cs4j.data.LoaderOptions;
import cs4j.data.Normalization;
import cs4j.data.RandomCropFlip;
import cs4j.data.StratifiedSplit;
import cs4j.data.TrainTest;
import cs4j.data.TrainValidation;
import cs4j.models.InputSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loaders of one experiment: training images (minus the held-out validation part), validation
 * and test, normalised with the dataset's statistics; CIFAR-10 training batches are augmented (flip
 * and 4-pixel padded crop, as in the CS reference code). The validation part is a stratified split
 * seeded with the run's seed, evaluated after every epoch; test accuracy is what a round reports. A
 * training size below what is left trains on a stratified sample of it (a budget, stated in the
 * hyperparameters).
 *
 * <p>Normalisation: CIFAR-10 and Fashion-MNIST use the constants of their reference protocols; any
 * other dataset ({@code idx}, {@code image-folder}) the statistics of its whole training split,
 * computed once when the data is loaded and recorded with the run ({@link #record}).
 */
public record ExperimentData(
    InputSpec input,
    Normalization normalization,
    BatchLoader train,
    BatchLoader validation,
    BatchLoader test) {

  /** Images per evaluation batch (no gradients, so larger than training batches). */
  static final int EVAL_BATCH = 500;

  /**
   * Loads the data of {@code source} and builds the loaders {@code hp} asks for; empty splits and
   * impossible split sizes are refused.
   */
  public static ExperimentData load(DataSource source, TrainingHparams hp) {
    TrainTest data = source.read();
    requireImages(data.train(), "training", source);
    requireImages(data.test(), "test", source);
    Dataset train = data.train();
    TrainingHparams.require(
        train.numClasses() >= 2,
        source.describe() + ": the labels name 1 class; a classifier needs at least 2");
    Dataset validation = null;
    if (hp.validationSize() > 0) {
      TrainingHparams.require(
          hp.validationSize() < train.size(),
          "--validation-size must be below the "
              + train.size()
              + " training images of "
              + source.describe()
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
              + source.describe()
              + " left after validation, got "
              + hp.trainSize());
      train = StratifiedSplit.sample(train, hp.trainSize(), hp.seed());
    }
    Normalization norm = normalization(source, data.train());
    Augmentation augment =
        source.dataset() == DatasetName.CIFAR10 ? RandomCropFlip.cifar() : Augmentation.NONE;
    return new ExperimentData(
        new InputSpec(train.channels(), train.height(), train.width(), train.numClasses()),
        norm,
        new BatchLoader(train, norm, augment, LoaderOptions.training(hp.batchSize(), hp.seed())),
        validation == null
            ? null
            : new BatchLoader(
                validation, norm, Augmentation.NONE, LoaderOptions.evaluation(EVAL_BATCH)),
        new BatchLoader(
            data.test(), norm, Augmentation.NONE, LoaderOptions.evaluation(EVAL_BATCH)));
  }

  /** What the run recorded about its data (not hashed: it follows from the data's identity). */
  Map<String, Object> record() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("classes", input.classes());
    r.put("image", List.of(input.channels(), input.height(), input.width()));
    r.put(
        "normalization",
        Map.of("mean", floats(normalization.mean()), "std", floats(normalization.std())));
    return r;
  }

  private static Normalization normalization(DataSource source, Dataset train) {
    return switch (source.dataset()) {
      case CIFAR10 -> Normalization.CIFAR10;
      case SUBSET, FASHION_MNIST -> Normalization.FASHION_MNIST;
      case IDX, IMAGE_FOLDER -> {
        try {
          yield Normalization.of(train);
        } catch (IllegalArgumentException e) {
          throw new BadInputException(source.describe() + ": " + e.getMessage(), e);
        }
      }
    };
  }

  private static void requireImages(Dataset split, String which, DataSource source) {
    TrainingHparams.require(
        split.size() > 0, source.describe() + ": the " + which + " split is empty (0 images)");
  }

  private static List<Float> floats(float[] values) {
    Float[] boxed = new Float[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return List.of(boxed);
  }
}
