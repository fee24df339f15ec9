package cs4j.autograd;

import cs4j.tensor.Tensor;

/**
 * Recording state of the define-by-run graph. Recording is on by default and per thread; {@link
 * #noGrad()} opens a scope in which ops record nothing (evaluation, optimiser updates).
 */
public final class Graph {
  private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private Graph() {}

  /** Whether ops on this thread record themselves now. */
  public static boolean isRecording() {
    return NO_GRAD_DEPTH.get()[0] == 0;
  }

  /** A scope with recording off; close it (try-with-resources) to restore the previous state. */
  public static NoGradScope noGrad() {
    NO_GRAD_DEPTH.get()[0]++;
    return new NoGradScope();
  }

  /** A no-grad scope: {@code try (var s = Graph.noGrad()) { ... }}. Closing twice is harmless. */
  public static final class NoGradScope implements AutoCloseable {
    private boolean closed;

    private NoGradScope() {}

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        NO_GRAD_DEPTH.get()[0]--;
      }
    }
  }

  /** Whether an op with these inputs must record a node: recording is on and one needs a grad. */
  public static boolean needsRecording(Tensor... inputs) {
    if (!isRecording()) {
      return false;
    }
    for (Tensor t : inputs) {
      if (t != null && t.requiresGrad()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Links {@code outputs} to {@code node} when {@link #needsRecording} holds for the node's inputs;
   * returns {@code outputs[0]} for convenience.
   */
  public static Tensor record(Node node, Tensor... outputs) {
    if (needsRecording(node.inputs())) {
      for (int i = 0; i < outputs.length; i++) {
        outputs[i].setGradFn(node, i);
      }
    }
    return outputs[0];
  }
}
