package cs4j.optim;

import cs4j.nn.Parameter;
import java.util.List;

/**
 * Parameters that share optimiser settings (PyTorch's parameter groups), for example the mask
 * logits of Continuous Sparsification, trained without weight decay. The learning rate here is the
 * base rate; a schedule scales it.
 */
public record ParamGroup(
    List<Parameter> params,
    double lr,
    double momentum,
    double dampening,
    double weightDecay,
    boolean nesterov) {

  public ParamGroup {
    params = List.copyOf(params);
    if (!(lr >= 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("ParamGroup: lr must be finite and >= 0, got " + lr);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("ParamGroup: momentum must be in [0, 1), got " + momentum);
    }
    if (!(dampening >= 0 && dampening <= 1)) {
      throw new IllegalArgumentException(
          "ParamGroup: dampening must be in [0, 1], got " + dampening);
    }
    if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      throw new IllegalArgumentException(
          "ParamGroup: weightDecay must be finite and >= 0, got " + weightDecay);
    }
    if (nesterov && (momentum == 0 || dampening != 0)) {
      throw new IllegalArgumentException(
          "ParamGroup: Nesterov needs momentum > 0 and dampening 0 (as in PyTorch)");
    }
  }

  /** SGD with momentum, Nesterov and weight decay, no dampening: the reference protocol's. */
  public static ParamGroup nesterov(
      List<Parameter> params, double lr, double momentum, double weightDecay) {
    return new ParamGroup(params, lr, momentum, 0, weightDecay, true);
  }
}
