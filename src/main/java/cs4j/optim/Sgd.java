package cs4j.optim;

import cs4j.backend.Backend;
import cs4j.nn.Parameter;
import cs4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with momentum, Nesterov and weight decay, in PyTorch's formulation
 * ({@link Backend#sgdStep}): one fused in-place kernel per parameter tensor. Parameters without a
 * gradient are skipped, as in PyTorch.
 *
 * <p>Momentum buffers are allocated once, here, on each parameter's device (so the parameters must
 * be placed first), and released by {@link #close()}: a training step allocates nothing that
 * outlives it. A buffer counts as started after its parameter's first step (PyTorch's buf ← d).
 */
public final class Sgd implements AutoCloseable {
  private final List<ParamGroup> groups;
  private final Map<Parameter, Tensor> momentum = new IdentityHashMap<>();
  private final Set<Parameter> started = Collections.newSetFromMap(new IdentityHashMap<>());
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
    for (ParamGroup g : groups) {
      if (g.momentum() != 0) {
        for (Parameter p : g.params()) {
          momentum.put(p, Tensor.zeros(p.value().shape(), p.value().device()));
        }
      }
    }
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
        Tensor buf = momentum.get(p);
        boolean first = buf != null && started.add(p);
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

  /**
   * How many parameters have taken a step (their momentum started): the one host state besides the
   * learning rate that a step's update reads.
   */
  public int startedParameters() {
    return started.size();
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
    groups.forEach(
        g -> g.params().forEach(p -> out.add(started.contains(p) ? momentum.get(p) : null)));
    return out;
  }

  /**
   * Restores momentum buffers saved by {@link #momentumBuffers()} (same order and shapes, on any
   * device), writing into this optimiser's own buffers; a null entry means not started. Every entry
   * is checked before anything is written.
   */
  public void loadMomentumBuffers(List<Tensor> buffers) {
    List<Parameter> all = new ArrayList<>();
    groups.forEach(g -> all.addAll(g.params()));
    if (buffers.size() != all.size()) {
      throw new IllegalArgumentException(
          "Sgd: " + buffers.size() + " momentum buffers for " + all.size() + " parameters");
    }
    for (int i = 0; i < all.size(); i++) {
      Tensor b = buffers.get(i);
      if (b == null) {
        continue;
      }
      Parameter p = all.get(i);
      if (!momentum.containsKey(p)) {
        throw new IllegalArgumentException(
            "Sgd: momentum buffer " + i + " given for a parameter of a group without momentum");
      }
      if (!b.shape().equals(p.value().shape())) {
        throw new IllegalArgumentException(
            "Sgd: momentum buffer "
                + i
                + " has shape "
                + b.shape()
                + ", parameter has "
                + p.value().shape());
      }
    }
    started.clear();
    for (int i = 0; i < all.size(); i++) {
      Tensor b = buffers.get(i);
      if (b != null) {
        momentum.get(all.get(i)).copyFrom(b.toArray());
        started.add(all.get(i));
      }
    }
  }

  /**
   * Releases the momentum buffers' memory (on the CPU, only buffers made in a scope: their arrays
   * go back to the pool); the optimiser is done.
   */
  @Override
  public void close() {
    momentum.values().forEach(Tensor::release);
    momentum.clear();
    started.clear();
  }
}
