package cs4j.nn;

import cs4j.backend.Backend;
import cs4j.tensor.Device;
import cs4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or a network: parameters, buffers (non-trained state such as batch-norm running
 * statistics) and child modules, each under a name.
 *
 * <p>Names compose with dots in registration order, exactly as PyTorch's {@code state_dict} keys: a
 * child registered as {@code "stage1"} holding a child {@code "block1"} with parameter {@code
 * "weight"} gives {@code stage1.block1.weight}. A model built to mirror a PyTorch module therefore
 * has the same keys, in the same order, and checkpoints move between the two without renaming.
 * Sequential containers name their children {@code "0"}, {@code "1"}, ... as PyTorch does.
 *
 * <p>Placement works as PyTorch's {@code module.to(device)}: {@link #to} moves every parameter and
 * buffer in place, so each {@link Parameter} (and each buffer tensor) keeps its identity, which
 * optimiser state, checkpoints and pruning masks key on. Models are built and initialised on the
 * host and then moved, so one seed gives the same network on every device. {@link #close()} returns
 * the device memory of the module's state.
 */
public abstract class Module implements AutoCloseable {
  private final Map<String, Parameter> params = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;

  /** Computes the module's output for x (records on the graph when gradients are needed). */
  public abstract Tensor forward(Tensor x);

  protected final Parameter registerParameter(String name, Tensor value) {
    checkName(name);
    Parameter p = new Parameter(value);
    params.put(name, p);
    return p;
  }

  protected final Tensor registerBuffer(String name, Tensor value) {
    checkName(name);
    buffers.put(name, value);
    return value;
  }

  protected final <M extends Module> M registerModule(String name, M module) {
    checkName(name);
    children.put(name, module);
    return module;
  }

  /**
   * Adds a parameter from outside the module: a pruning method's per-layer state, such as the CS
   * mask logits under PyTorch's name {@code mask_weight}, so that it appears in {@link
   * #stateDict()} and checkpoints like the module's own.
   */
  public final Parameter attachParameter(String name, Tensor value) {
    return registerParameter(name, value);
  }

  /**
   * Adds a buffer from outside the module (for example a pruning mask that must be checkpointed).
   */
  public final Tensor attachBuffer(String name, Tensor value) {
    return registerBuffer(name, value);
  }

  private void checkName(String name) {
    if (name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException(
          "module member name must be non-empty without '.': " + name);
    }
    if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException("module member '" + name + "' registered twice");
    }
  }

  /** Direct children, by name, in registration order. */
  public final Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  /** All parameters of this module and its descendants under dotted names, depth first. */
  public final Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect("", out, null);
    return out;
  }

  public final List<Parameter> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** All buffers under dotted names. */
  public final Map<String, Tensor> namedBuffers() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", null, out);
    return out;
  }

  /**
   * Parameters and buffers under dotted names, each module's parameters before its buffers and
   * before its children: PyTorch's {@code state_dict} order.
   */
  public final Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    stateDict("", out);
    return out;
  }

  private void stateDict(String prefix, Map<String, Tensor> out) {
    params.forEach((n, p) -> out.put(prefix + n, p.value()));
    buffers.forEach((n, b) -> out.put(prefix + n, b));
    children.forEach((n, m) -> m.stateDict(prefix + n + ".", out));
  }

  private void collect(String prefix, Map<String, Parameter> ps, Map<String, Tensor> bs) {
    if (ps != null) {
      params.forEach((n, p) -> ps.put(prefix + n, p));
    }
    if (bs != null) {
      buffers.forEach((n, b) -> bs.put(prefix + n, b));
    }
    children.forEach((n, m) -> m.collect(prefix + n + ".", ps, bs));
  }

  /** Number of trainable scalars. */
  public final long parameterCount() {
    long n = 0;
    for (Parameter p : namedParameters().values()) {
      n += p.numel();
    }
    return n;
  }

  /** Sets training mode on this module and every descendant; returns this. */
  public Module train(boolean on) {
    training = on;
    children.values().forEach(m -> m.train(on));
    return this;
  }

  public final Module eval() {
    return train(false);
  }

  public final boolean isTraining() {
    return training;
  }

  /**
   * Copies {@code state} (names as in {@link #stateDict()}) into this module's tensors in place.
   * Every key must be present with the same shape, and no key may be extra: the first mismatch is
   * reported by name before anything is written.
   */
  public final void loadStateDict(Map<String, Tensor> state) {
    Map<String, Tensor> own = stateDict();
    for (Map.Entry<String, Tensor> e : own.entrySet()) {
      Tensor src = state.get(e.getKey());
      if (src == null) {
        throw new IllegalArgumentException(
            "loadStateDict: missing tensor '" + e.getKey() + "' " + e.getValue().shape());
      }
      if (!src.shape().equals(e.getValue().shape())) {
        throw new IllegalArgumentException(
            "loadStateDict: tensor '"
                + e.getKey()
                + "' has shape "
                + src.shape()
                + ", this module expects "
                + e.getValue().shape());
      }
    }
    for (String name : state.keySet()) {
      if (!own.containsKey(name)) {
        throw new IllegalArgumentException(
            "loadStateDict: unexpected tensor '" + name + "': this module has no such state");
      }
    }
    own.forEach((name, dst) -> copyInto(state.get(name), dst));
  }

  /** dst ← src, on the device or through one upload into dst's storage (no temporary). */
  private static void copyInto(Tensor src, Tensor dst) {
    if (src.device() == dst.device()) {
      Backend.of(dst.device()).copy(src, dst);
    } else {
      dst.copyFrom(src.toArray());
    }
  }

  /**
   * Moves every parameter and buffer of this module and its descendants to {@code device}, in place
   * (see the class comment); their gradients are dropped. Returns this.
   */
  public Module to(Device device) {
    stateDict().values().forEach(t -> t.relocate(device));
    return this;
  }

  /** The device of this module's state (the CPU for a module without any). */
  public final Device device() {
    Map<String, Tensor> state = stateDict();
    return state.isEmpty() ? Device.CPU : state.values().iterator().next().device();
  }

  /**
   * Returns the memory of every parameter and buffer now (on the CPU, only storage made in a scope:
   * its arrays go back to the pool); the module must not be used afterwards. Memory allocated
   * inside a {@link cs4j.tensor.MemoryScope} is also returned when the scope closes, whichever
   * comes first.
   */
  @Override
  public void close() {
    stateDict().values().forEach(Tensor::release);
  }

  /** Calls {@code action} on this module and every descendant, parents first. */
  public final void visit(java.util.function.Consumer<Module> action) {
    action.accept(this);
    children.values().forEach(m -> m.visit(action));
  }

  /** Drops every parameter's gradient. */
  public final void zeroGrad() {
    namedParameters().values().forEach(Parameter::zeroGrad);
  }
}
