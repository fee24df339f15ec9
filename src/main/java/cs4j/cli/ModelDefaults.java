package cs4j.cli;

import cs4j.models.InitScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per-model training defaults.
 *
 * <ul>
 *   <li>ResNet and VGG on CIFAR-10: the CS reference code's protocol: batch 128, 85 epochs per
 *       round, SGD lr 0.1, momentum 0.9 Nesterov, weight decay 1e-4, ×0.1 at epochs 56 and 71, seed
 *       1234, 5,000 validation images.
 *   <li>LeNet-300-100 and Conv-4 on Fashion-MNIST (our choice, small enough for a CPU): batch 64,
 *       SGD lr 0.05 (Conv-4: 0.02), momentum 0.9 Nesterov, weight decay 1e-4, 20 epochs with ×0.1
 *       at epochs 10 and 15, seed 1234.
 * </ul>
 *
 * Validation images, on every model: {@link #validationSize} of the training images, min(5,000,
 * 10%): 5,000 for CIFAR-10 and Fashion-MNIST as in the reference protocol, 600 for the embedded
 * subset, a tenth of a small dataset of one's own.
 *
 * <p>Method defaults that depend on the network ({@link #methodDefaults}): a CS ticket of
 * LeNet-300-100 retrains with c = 1, not with the reference code's c = 1/σ(s0), which the other
 * networks keep (benchmarks/TICKET-SCALE.md has the measurements).
 *
 * <p>When {@code --epochs} is given without {@code --milestones}, the milestones keep their place
 * in the schedule: {@code round(m·epochs/defaultEpochs)}, dropped where they reach 0 or the end.
 */
public final class ModelDefaults {
  public static final long SEED = 1234;

  private ModelDefaults() {}

  /** The dataset a model is trained on when none is named. */
  public static String dataset(String model) {
    return isCifarModel(model) ? DatasetName.CIFAR10.cliName() : DatasetName.SUBSET.cliName();
  }

  /** Validation images held out of the training images at most, whatever their number. */
  public static final int MAX_VALIDATION = 5000;

  /**
   * The defaults for {@code model} on {@code dataset} with {@code validation} validation images
   * (that default depends on the data: {@link #validationSize}).
   */
  public static TrainingHparams of(String model, DatasetName dataset, int validation) {
    if (isCifarModel(model)) {
      return new TrainingHparams(
          model,
          dataset.cliName(),
          InitScheme.XAVIER_NORMAL,
          85,
          128,
          0.1,
          0.9,
          true,
          1e-4,
          List.of(56, 71),
          0.1,
          SEED,
          validation,
          0);
    }
    double lr = model.equals("conv4") ? 0.02 : 0.05;
    return new TrainingHparams(
        model,
        dataset.cliName(),
        InitScheme.XAVIER_NORMAL,
        20,
        64,
        lr,
        0.9,
        true,
        1e-4,
        List.of(10, 15),
        0.1,
        SEED,
        validation,
        0);
  }

  /**
   * The hyperparameters of {@code method} (component name → value) whose default for {@code model}
   * differs from the method's own; flags override them. A LeNet-300-100 ticket retrains with c = 1:
   * without batch norm, the reference's c = 1/σ(s0) ≈ 2 multiplies its outputs by about c³ = 8, and
   * its tickets at c ≈ 2 lose points or diverge. Batch norm cancels c in ResNet and VGG, and
   * Conv-4's sparse tickets learn faster with c than without, so they keep the reference's.
   */
  public static Map<String, String> methodDefaults(String model, String method) {
    return METHOD_DEFAULTS.getOrDefault(method, Map.of()).getOrDefault(model, Map.of());
  }

  /** Method → model → component → value: the method defaults that differ by model. */
  private static final Map<String, Map<String, Map<String, String>>> METHOD_DEFAULTS =
      Map.of("cs", Map.of("lenet300", Map.of("ticketKeepsScale", "false")));

  /**
   * The models whose default for {@code component} of {@code method} differs from the method's, as
   * help text ("lenet300: false"); empty when none does.
   */
  static String modelDefaultsOf(String method, String component) {
    List<String> notes = new ArrayList<>();
    METHOD_DEFAULTS
        .getOrDefault(method, Map.of())
        .forEach(
            (model, values) -> {
              if (values.containsKey(component)) {
                notes.add(model + ": " + values.get(component));
              }
            });
    return String.join(", ", notes);
  }

  /** The default validation split of {@code trainingImages} images: min(5,000, 10%). */
  public static int validationSize(int trainingImages) {
    return Math.min(MAX_VALIDATION, trainingImages / 10);
  }

  /** {@code milestones} of a {@code from}-epoch schedule moved to an {@code to}-epoch one. */
  static List<Integer> rescale(List<Integer> milestones, int from, int to) {
    return milestones.stream()
        .map(m -> (int) Math.round((double) m * to / from))
        .filter(m -> m > 0 && m < to)
        .distinct()
        .toList();
  }

  private static boolean isCifarModel(String model) {
    return model.startsWith("resnet") || model.startsWith("vgg");
  }
}
