package cs4j.optim;

import cs4j.backend.Backend;
import cs4j.nn.Parameter;
import cs4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, Nesterov and weight decay, in PyTorch's formulation
 * ({@link Backend#sgdStep}): one fused in-place kernel per parameter tensor. Parameters without a
 * gradient are skipped, as in PyTorch.
 */
public final class Sgd {
  private final List<ParamGroup> groups;
  private final Map<Parameter, Tensor> momentum = new IdentityHashMap<>();
  private double lrScale = 1.0;

  public Sgd(List<ParamGroup> groups) {
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("Sgd: needs at least one parameter group");
    }
    Map<Parameter, Boolean> seen = new IdentityHashMap<>();
    for (ParamGroup g : groups) {
      for (Parameter p : g.params()) {
        if (seen.put(p, Boolean.TRUE) != null) {
          throw new IllegalArgumentException(
              "Sgd: a parameter " + p + " appears in more than one group");
        }
      }
    }
    this.groups = List.copyOf(groups);
  }

  public Sgd(ParamGroup group) {
    this(List.of(group));
  }

  public List<ParamGroup> groups() {
    return groups;
  }

  /** Multiplies every group's base rate by {@code scale} from the next step on (schedules). */
  public void setLrScale(double scale) {
    if (!(scale >= 0) || !Double.isFinite(scale)) {
      throw new IllegalArgumentException("Sgd: lr scale must be finite and >= 0, got " + scale);
    }
    this.lrScale = scale;
  }

  public double lrScale() {
    return lrScale;
  }

  /** Updates every parameter that has a gradient. */
  public void step() {
    for (ParamGroup g : groups) {
      float lr = (float) (g.lr() * lrScale);
      for (Parameter p : g.params()) {
        Tensor grad = p.grad();
        if (grad == null) {
          continue;
        }
        Tensor w = p.value();
        Tensor buf = null;
        boolean first = false;
        if (g.momentum() != 0) {
          buf = momentum.get(p);
          if (buf == null) {
            buf = Tensor.zeros(w.shape(), w.device());
            momentum.put(p, buf);
            first = true;
          }
        }
        Backend.of(w.device())
            .sgdStep(
                w,
                grad,
                buf,
                lr,
                (float) g.momentum(),
                (float) g.dampening(),
                (float) g.weightDecay(),
                g.nesterov(),
                first);
      }
    }
  }

  /** Drops the gradients of every parameter in every group. */
  public void zeroGrad() {
    groups.forEach(g -> g.params().forEach(Parameter::zeroGrad));
  }

  /**
   * The momentum buffers, in group order, for parameters that have one (null entries for those
   * without: never stepped, or no momentum). Checkpoints store them by parameter name.
   */
  public List<Tensor> momentumBuffers() {
    List<Tensor> out = new ArrayList<>();
    groups.forEach(g -> g.params().forEach(p -> out.add(momentum.get(p))));
    return out;
  }

  /** Restores momentum buffers saved by {@link #momentumBuffers()} (same order and shapes). */
  public void loadMomentumBuffers(List<Tensor> buffers) {
    List<Parameter> all = new ArrayList<>();
    groups.forEach(g -> all.addAll(g.params()));
    if (buffers.size() != all.size()) {
      throw new IllegalArgumentException(
          "Sgd: " + buffers.size() + " momentum buffers for " + all.size() + " parameters");
    }
    momentum.clear();
    for (int i = 0; i < all.size(); i++) {
      Tensor b = buffers.get(i);
      if (b == null) {
        continue;
      }
      Tensor w = all.get(i).value();
      if (!b.shape().equals(w.shape())) {
        throw new IllegalArgumentException(
            "Sgd: momentum buffer "
                + i
                + " has shape "
                + b.shape()
                + ", parameter has "
                + w.shape());
      }
      momentum.put(all.get(i), b.to(w.device()).copy());
    }
  }
}
