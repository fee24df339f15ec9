package cs4j.ops;

import static cs4j.ops.Alloc.backend;
import static cs4j.ops.Alloc.uninitializedLike;

import cs4j.autograd.Graph;
import cs4j.autograd.Node;
import cs4j.tensor.HostStorage;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;

/** Softmax cross-entropy over class indices, averaged over the batch, and top-1 hits. */
final class LossOps {
  private LossOps() {}

  /**
   * loss [] = −(1/N) Σₙ log softmax(logits[n])[labels[n]], logits [N, K], labels [N] holding class
   * indices 0..K−1 (as floats). Backward: dLogits = dLoss/N · (softmax − onehot).
   */
  static Tensor crossEntropy(Tensor logits, Tensor labels) {
    String op = "crossEntropy";
    checkLogitsAndLabels(op, logits, labels);
    if (labels.requiresGrad()) {
      throw new IllegalArgumentException(
          op + ": labels are class indices and cannot require a gradient");
    }
    if (labels.storage() instanceof HostStorage host) {
      checkLabels(host.data(), logits.dim(1));
    }
    Tensor probs = uninitializedLike(logits);
    Tensor loss = Tensor.uninitialized(Shape.scalar(), logits.device());
    backend(logits).softmaxCrossEntropy(logits, labels, probs, loss);
    return Graph.record(
        new Node(op, 1, logits, labels) {
          private Tensor p = probs;
          private Tensor y = labels;

          @Override
          protected Tensor[] backward(Tensor[] g) {
            Tensor dLogits = uninitializedLike(p);
            backend(p).softmaxCrossEntropyBackward(p, y, g[0], dLogits);
            return new Tensor[] {dLogits, null};
          }

          @Override
          protected void releaseSaved() {
            p = null;
            y = null;
          }
        },
        loss);
  }

  /** out [] = #rows of logits [N, K] whose first maximum is at labels [N]; records nothing. */
  static Tensor countCorrect(Tensor logits, Tensor labels) {
    checkLogitsAndLabels("countCorrect", logits, labels);
    Tensor out = Tensor.uninitialized(Shape.scalar(), logits.device());
    backend(logits).countCorrect(logits, labels, out);
    return out;
  }

  private static void checkLogitsAndLabels(String op, Tensor logits, Tensor labels) {
    Check.sameDevice(op, "logits", logits, "labels", labels);
    Check.rank(op, "logits", logits, 2, "[N, K]");
    if (logits.numel() == 0) {
      throw new IllegalArgumentException(op + ": logits is empty, shape " + logits.shape());
    }
    Check.shape(op, "labels", labels, Shape.of(logits.dim(0)));
  }

  private static void checkLabels(float[] labels, int classes) {
    for (int i = 0; i < labels.length; i++) {
      float v = labels[i];
      if (!(v >= 0 && v < classes) || v != Math.floor(v)) {
        throw new IllegalArgumentException(
            "crossEntropy: labels["
                + i
                + "] = "
                + v
                + " is not a class index in [0, "
                + classes
                + ")");
      }
    }
  }
}
