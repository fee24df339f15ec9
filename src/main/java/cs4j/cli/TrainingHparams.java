package cs4j.cli;

import cs4j.models.InitScheme;
import java.util.List;

/**
 * What every training run of a model on a dataset needs: optimiser, schedule, batch, seed and the
 * validation split. SGD updates {@code w ← w − lr·s(e)·(v)} with momentum, optional Nesterov and
 * weight decay; the schedule {@code s(e)} multiplies by {@code gamma} at each milestone epoch.
 * Defaults per model are in {@link ModelDefaults}.
 *
 * @param model a name of {@link cs4j.models.Models}
 * @param dataset a name of {@link DatasetName}
 * @param init how the weights are drawn from the seed (the reference code: Xavier-normal)
 * @param epochs epochs per training run (per round, for the methods that run rounds)
 * @param milestones epochs at which the learning rate is multiplied by {@code gamma}, ascending
 * @param validationSize training images held out (stratified, seeded) for per-epoch validation; 0
 *     for none
 * @param trainSize images trained on, a stratified seeded sample of what the validation split
 *     leaves; 0 for all of it
 */
public record TrainingHparams(
    String model,
    String dataset,
    InitScheme init,
    int epochs,
    int batchSize,
    double lr,
    double momentum,
    boolean nesterov,
    double weightDecay,
    List<Integer> milestones,
    double gamma,
    long seed,
    int validationSize,
    int trainSize) {

  public TrainingHparams {
    milestones = List.copyOf(milestones);
    require(epochs >= 1, "--epochs must be >= 1, got " + epochs);
    require(batchSize >= 1, "--batch-size must be >= 1, got " + batchSize);
    require(Double.isFinite(lr) && lr > 0, "--lr must be finite and > 0, got " + lr);
    require(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got " + momentum);
    require(!nesterov || momentum > 0, "--nesterov needs --momentum > 0");
    require(
        Double.isFinite(weightDecay) && weightDecay >= 0,
        "--weight-decay must be finite and >= 0, got " + weightDecay);
    require(Double.isFinite(gamma) && gamma > 0, "--gamma must be finite and > 0, got " + gamma);
    require(validationSize >= 0, "--validation-size must be >= 0, got " + validationSize);
    require(trainSize >= 0, "--train-size must be >= 0 (0: all), got " + trainSize);
    int previous = 0;
    for (int m : milestones) {
      require(m > previous, "--milestones must be positive and ascending, got " + milestones);
      previous = m;
    }
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new BadInputException(message);
    }
  }

  /**
   * These hyperparameters with {@code e} epochs per run, the milestones kept in their place in the
   * schedule ({@link ModelDefaults#rescale}).
   */
  TrainingHparams withEpochs(int e) {
    return new TrainingHparams(
        model,
        dataset,
        init,
        e,
        batchSize,
        lr,
        momentum,
        nesterov,
        weightDecay,
        ModelDefaults.rescale(milestones, epochs, e),
        gamma,
        seed,
        validationSize,
        trainSize);
  }
}
