package cs4j.cli;

import cs4j.models.InitScheme;
import cs4j.models.Models;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The model and its training hyperparameters as flags; each flag left out takes the model's default
 * ({@link ModelDefaults}).
 */
public final class TrainingOptions {
  @Option(
      names = "--model",
      paramLabel = "NAME",
      defaultValue = "lenet300",
      description =
          "lenet300, conv4, resnet20, resnet20-a, resnet56, vgg11/13/16/19 (default: ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--epochs", paramLabel = "E", description = "epochs per training run (per round)")
  Integer epochs;

  @Option(names = "--batch-size", paramLabel = "B")
  Integer batchSize;

  @Option(names = "--lr", paramLabel = "RATE", description = "base learning rate")
  Double lr;

  @Option(names = "--momentum", paramLabel = "M")
  Double momentum;

  @Option(names = "--nesterov", negatable = true, description = "Nesterov momentum (--no-nesterov)")
  Boolean nesterov;

  @Option(names = "--weight-decay", paramLabel = "WD")
  Double weightDecay;

  @Option(
      names = "--milestones",
      paramLabel = "EPOCH",
      split = ",",
      description = "epochs at which the learning rate is multiplied by --gamma, e.g. 56,71")
  List<Integer> milestones;

  @Option(names = "--gamma", paramLabel = "G", description = "learning-rate factor at milestones")
  Double gamma;

  @Option(names = "--seed", paramLabel = "SEED", description = "weights, data order and split")
  Long seed;

  @Option(
      names = "--validation-size",
      paramLabel = "N",
      description =
          "training images held out for validation (0: none; default: min(5000, 10%% of the"
              + " training images))")
  Integer validationSize;

  @Option(
      names = "--train-size",
      paramLabel = "N",
      description =
          "train on a stratified sample of N of the images left after the validation split"
              + " (0: all of them)")
  Integer trainSize;

  @Option(
      names = "--init",
      paramLabel = "SCHEME",
      description = "xavier-normal (the reference code) or kaiming-normal")
  String init;

  /**
   * The model's defaults on {@code source}'s dataset with every given flag applied, validated. The
   * default validation size depends on the number of training images, so the data is read for it
   * (after every flag is checked) when {@code --validation-size} is not given.
   */
  TrainingHparams resolve(DataSource source) {
    TrainingHparams flags = resolve(source.dataset(), or(validationSize, 0));
    return validationSize != null
        ? flags
        : resolve(source.dataset(), ModelDefaults.validationSize(source.read().train().size()));
  }

  /** The model's name, once it is known to be one. */
  String model() {
    if (!Models.names().contains(model)) {
      throw new BadInputException(
          "unknown model '" + model + "'; known models: " + String.join(", ", Models.names()));
    }
    return model;
  }

  private TrainingHparams resolve(DatasetName dataset, int validation) {
    model(); // checks the name
    TrainingHparams d = ModelDefaults.of(model, dataset, validation);
    int e = or(epochs, d.epochs());
    List<Integer> ms =
        milestones != null
            ? milestones
            : epochs == null
                ? d.milestones()
                : ModelDefaults.rescale(d.milestones(), d.epochs(), e);
    return new TrainingHparams(
        model,
        dataset.cliName(),
        init == null ? d.init() : initScheme(init),
        e,
        or(batchSize, d.batchSize()),
        or(lr, d.lr()),
        or(momentum, d.momentum()),
        or(nesterov, d.nesterov()),
        or(weightDecay, d.weightDecay()),
        ms,
        or(gamma, d.gamma()),
        or(seed, d.seed()),
        d.validationSize(),
        or(trainSize, d.trainSize()));
  }

  private static InitScheme initScheme(String name) {
    for (InitScheme s : InitScheme.values()) {
      if (s.name().replace('_', '-').toLowerCase(Locale.ROOT).equals(name)) {
        return s;
      }
    }
    throw new BadInputException(
        "unknown --init '" + name + "'; known: xavier-normal, kaiming-normal");
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
