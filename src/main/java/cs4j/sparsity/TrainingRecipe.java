package cs4j.sparsity;

import cs4j.nn.Parameter;
import cs4j.optim.LrSchedule;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one dense training phase runs: epochs, SGD settings and a multi-step LR schedule (×{@code
 * gamma} at each milestone epoch). The batch size lives in the loader. Every method trains each of
 * its phases (a round, a retraining, a fine-tuning) with this recipe unless its own hyperparameters
 * say otherwise.
 *
 * @param checkpointEverySteps also checkpoint inside an epoch every this many steps (0: at epoch
 *     ends only)
 */
public record TrainingRecipe(
    int epochs,
    double lr,
    double momentum,
    boolean nesterov,
    double weightDecay,
    List<Integer> milestones,
    double gamma,
    int checkpointEverySteps) {

  public TrainingRecipe {
    milestones = List.copyOf(milestones);
    if (epochs <= 0) {
      throw new IllegalArgumentException("training recipe: epochs must be >= 1, got " + epochs);
    }
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("training recipe: lr must be finite and > 0, got " + lr);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException(
          "training recipe: momentum must be in [0, 1), got " + momentum);
    }
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException("training recipe: Nesterov needs momentum > 0");
    }
    if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      throw new IllegalArgumentException(
          "training recipe: weight decay must be finite and >= 0, got " + weightDecay);
    }
    if (!(gamma > 0) || !Double.isFinite(gamma)) {
      throw new IllegalArgumentException(
          "training recipe: gamma must be finite and > 0, got " + gamma);
    }
    for (int m : milestones) {
      if (m <= 0) {
        throw new IllegalArgumentException(
            "training recipe: LR milestones must be positive epochs, got " + milestones);
      }
    }
    if (checkpointEverySteps < 0) {
      throw new IllegalArgumentException(
          "training recipe: checkpointEverySteps must be >= 0, got " + checkpointEverySteps);
    }
  }

  /**
   * The CS reference code's protocol (CIFAR-10): 85 epochs, lr 0.1, momentum 0.9 Nesterov, weight
   * decay 1e-4, ×0.1 at epochs 56 and 71.
   */
  public static TrainingRecipe reference() {
    return new TrainingRecipe(85, 0.1, 0.9, true, 1e-4, List.of(56, 71), 0.1, 0);
  }

  public TrainingRecipe withEpochs(int e) {
    return new TrainingRecipe(
        e, lr, momentum, nesterov, weightDecay, milestones, gamma, checkpointEverySteps);
  }

  public LrSchedule schedule() {
    return LrSchedule.multiStep(gamma, milestones.stream().mapToInt(Integer::intValue).toArray());
  }

  /** SGD over {@code params} with this recipe's settings (the weights' optimiser). */
  public Sgd optimizer(List<Parameter> params) {
    return optimizer(params, lr, weightDecay);
  }

  /**
   * SGD with this recipe's momentum/Nesterov but the given rate and decay (mask logits: no decay).
   */
  public Sgd optimizer(List<Parameter> params, double rate, double decay) {
    return new Sgd(new ParamGroup(params, rate, momentum, 0, decay, nesterov));
  }

  /** The canonical fields for hashing and {@code hparams.json}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epochs", epochs);
    m.put("lr", lr);
    m.put("momentum", momentum);
    m.put("nesterov", nesterov);
    m.put("weightDecay", weightDecay);
    m.put("milestones", milestones);
    m.put("gamma", gamma);
    return m;
  }
}
