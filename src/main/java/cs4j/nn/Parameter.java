package cs4j.nn;

import cs4j.tensor.Tensor;

/**
 * A trainable tensor owned by a module. The tensor object never changes: optimisers and checkpoint
 * loading write into its storage in place, so references taken by the graph stay valid.
 */
public final class Parameter {
  private final Tensor value;

  public Parameter(Tensor value) {
    this.value = value.requiresGrad(true);
  }

  /** The parameter's tensor (requires a gradient). */
  public Tensor value() {
    return value;
  }

  /** The accumulated gradient, or null. */
  public Tensor grad() {
    return value.grad();
  }

  public void zeroGrad() {
    value.zeroGrad();
  }

  public int numel() {
    return value.numel();
  }

  @Override
  public String toString() {
    return "Parameter" + value.shape();
  }
}
