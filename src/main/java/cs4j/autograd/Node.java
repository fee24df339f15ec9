package cs4j.autograd;

import cs4j.tensor.GradFn;
import cs4j.tensor.Tensor;

/**
 * One recorded op in the graph: it knows its inputs and computes their gradients from the gradients
 * of its outputs. An op's forward creates its node only when recording is on and some input
 * requires a gradient ({@link Graph#record}).
 *
 * <p>Subclasses keep what backward needs in fields and drop them in {@link #releaseSaved()}, which
 * the engine calls once the node's backward has run.
 */
public abstract class Node implements GradFn {
  private final String name;
  private Tensor[] inputs;
  private final int outputs;
  private boolean released;

  protected Node(String name, int outputs, Tensor... inputs) {
    this.name = name;
    this.outputs = outputs;
    this.inputs = inputs;
  }

  /** The op's name, used in error messages. */
  public String name() {
    return name;
  }

  int outputCount() {
    return outputs;
  }

  Tensor[] inputs() {
    if (released) {
      throw new IllegalStateException(
          "backward through "
              + name
              + " a second time: its saved tensors were released after the"
              + " first backward");
    }
    return inputs;
  }

  /**
   * Gradients for each input, given the gradients of each output ({@code gradOutputs[i]} is null
   * when nothing downstream depends on output i). Entry j of the result may be null when input j
   * does not require a gradient ({@link #needsGrad(int)}). Returned tensors must not be written to
   * afterwards; they may be the gradient tensors passed in.
   */
  protected abstract Tensor[] backward(Tensor[] gradOutputs);

  /** Whether input {@code i} needs a gradient (so backward may skip computing it). */
  protected final boolean needsGrad(int i) {
    return inputs[i] != null && inputs[i].requiresGrad();
  }

  /** Drops saved tensors; called once after backward. */
  protected void releaseSaved() {}

  final void release() {
    releaseSaved();
    inputs = null;
    released = true;
  }

  @Override
  public String toString() {
    return name;
  }
}
