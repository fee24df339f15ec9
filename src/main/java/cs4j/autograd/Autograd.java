package cs4j.autograd;

import cs4j.backend.Backend;
import cs4j.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reverse pass. {@link #backward(Tensor)} orders the graph below a scalar loss topologically
 * (iteratively: a chain of any depth is fine), then visits each node once in reverse, summing the
 * gradients that reach each output before calling the node's backward. Leaf tensors that require a
 * gradient accumulate it into {@link Tensor#grad()}; each node's saved tensors are released as soon
 * as it has run.
 *
 * <p>The order is deterministic: it depends only on the graph (inputs are visited in argument
 * order), never on hashing or timing.
 */
public final class Autograd {
  private Autograd() {}

  /**
   * Backpropagates from {@code loss}, which must hold one element. Throws {@link
   * NonFiniteLossException} if the loss is NaN or infinite, before touching any gradient. Reading
   * the loss waits for the device; {@link #backwardWithoutSync} does not.
   */
  public static void backward(Tensor loss) {
    checkScalarLoss(loss);
    float value = loss.item();
    if (!Float.isFinite(value)) {
      throw new NonFiniteLossException(
          "backward: the loss"
              + source(loss)
              + " is "
              + value
              + "; stopped before computing any"
              + " gradient");
    }
    backward(loss, ones(loss));
  }

  /**
   * Backpropagates from the one-element {@code loss} without reading it, so that nothing waits for
   * the device: the caller reads the loss afterwards (with anything else it needs, in one transfer)
   * and must not apply the gradients when it is not finite. The training loop's path.
   */
  public static void backwardWithoutSync(Tensor loss) {
    checkScalarLoss(loss);
    backward(loss, ones(loss));
  }

  private static void checkScalarLoss(Tensor loss) {
    if (loss.numel() != 1) {
      throw new IllegalArgumentException(
          "backward: needs a scalar loss (one element), got shape " + loss.shape());
    }
    if (!loss.requiresGrad()) {
      throw new IllegalArgumentException(
          "backward: the loss does not require a gradient: no parameter with requiresGrad(true)"
              + " reaches it, or it was computed under Graph.noGrad()");
    }
  }

  /** " (output of OP)" for an op's output, "" for a leaf: where a bad loss came from. */
  public static String source(Tensor t) {
    return t.gradFn() instanceof Node n ? " (output of " + n.name() + ")" : "";
  }

  private static Tensor ones(Tensor like) {
    Tensor seed = Tensor.uninitialized(like.shape(), like.device());
    Backend.of(like.device()).fill(seed, 1f);
    return seed;
  }

  /** Backpropagates {@code gradLoss} (same shape as {@code root}) from {@code root}. */
  public static void backward(Tensor root, Tensor gradLoss) {
    if (!gradLoss.shape().equals(root.shape())) {
      throw new IllegalArgumentException(
          "backward: gradient shape "
              + gradLoss.shape()
              + " differs from output shape "
              + root.shape());
    }
    if (root.isLeaf()) {
      accumulateLeaf(root, gradLoss);
      return;
    }
    Node rootNode = (Node) root.gradFn();
    List<Node> order = topologicalOrder(rootNode);
    Map<Node, Tensor[]> pending = new IdentityHashMap<>();
    Tensor[] rootGrads = new Tensor[rootNode.outputCount()];
    rootGrads[root.outputIndex()] = gradLoss;
    pending.put(rootNode, rootGrads);

    for (int idx = order.size() - 1; idx >= 0; idx--) {
      Node node = order.get(idx);
      Tensor[] gradOutputs = pending.remove(node);
      if (gradOutputs == null) {
        node.release();
        continue; // nothing downstream of this node reached the loss
      }
      Tensor[] inputs = node.inputs();
      Tensor[] gradInputs = node.backward(gradOutputs);
      for (int i = 0; i < inputs.length; i++) {
        Tensor in = inputs[i];
        if (in == null || !in.requiresGrad()) {
          continue;
        }
        Tensor g = gradInputs[i];
        if (g == null) {
          throw new IllegalStateException(
              node.name() + ".backward returned no gradient for input " + i + " " + in.shape());
        }
        if (!g.shape().equals(in.shape())) {
          throw new IllegalStateException(
              node.name()
                  + ".backward: gradient for input "
                  + i
                  + " has shape "
                  + g.shape()
                  + ", input has "
                  + in.shape());
        }
        if (in.isLeaf()) {
          accumulateLeaf(in, g);
        } else {
          Node producer = (Node) in.gradFn();
          Tensor[] slot = pending.computeIfAbsent(producer, p -> new Tensor[p.outputCount()]);
          int k = in.outputIndex();
          slot[k] = slot[k] == null ? g : sum(slot[k], g);
        }
      }
      node.release();
    }
  }

  private static void accumulateLeaf(Tensor leaf, Tensor g) {
    leaf.setGrad(leaf.grad() == null ? g : sum(leaf.grad(), g));
  }

  /** a + b into a new tensor (gradients are never updated in place: they may be shared). */
  private static Tensor sum(Tensor a, Tensor b) {
    Tensor out = Tensor.uninitialized(a.shape(), a.device());
    Backend.of(a.device()).axpby(1f, a, 1f, b, out);
    return out;
  }

  /** Post-order of the nodes reachable from root, by an explicit-stack depth-first search. */
  static List<Node> topologicalOrder(Node root) {
    List<Node> order = new ArrayList<>();
    Map<Node, Boolean> seen = new IdentityHashMap<>();
    Deque<Node> stack = new ArrayDeque<>();
    Deque<Integer> nextInput = new ArrayDeque<>();
    stack.push(root);
    nextInput.push(0);
    seen.put(root, Boolean.TRUE);
    while (!stack.isEmpty()) {
      Node node = stack.peek();
      int i = nextInput.pop();
      Tensor[] inputs = node.inputs();
      Node child = null;
      while (i < inputs.length && child == null) {
        Tensor in = inputs[i++];
        if (in != null && in.gradFn() instanceof Node n && !seen.containsKey(n)) {
          child = n;
        }
      }
      nextInput.push(i);
      if (child != null) {
        seen.put(child, Boolean.TRUE);
        stack.push(child);
        nextInput.push(0);
      } else {
        stack.pop();
        nextInput.pop();
        order.add(node);
      }
    }
    return order;
  }
}
