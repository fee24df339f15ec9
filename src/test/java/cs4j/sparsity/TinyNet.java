package cs4j.sparsity;

import cs4j.nn.BatchNorm2d;
import cs4j.nn.Conv2d;
import cs4j.nn.Linear;
import cs4j.nn.Module;
import cs4j.ops.Ops;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The network of {@code test-data/gen_cs_reference.py}: x [N, 1, 4, 4] → conv (1→4, 3×3, pad 1, no
 * bias) → bn → ReLU → flatten [N, 64] → fc (64→3). With {@link #recordingLogits()}, remembers the
 * logits of every training-mode forward (a download per step), so tests can recompute each step's
 * loss.
 */
final class TinyNet extends Module {
  final Conv2d conv;
  final BatchNorm2d bn;
  final Linear fc;
  final List<float[]> trainingLogits = new ArrayList<>();
  private boolean recording;

  TinyNet(long seed) {
    Rng rng = new Rng(seed);
    conv = registerModule("conv", new Conv2d(1, 4, 3, 1, 1, false, rng));
    bn = registerModule("bn", new BatchNorm2d(4));
    fc = registerModule("fc", new Linear(64, 3, true, rng));
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor y = Ops.flatten(Ops.relu(bn.forward(conv.forward(x))));
    Tensor logits = fc.forward(y);
    if (recording && isTraining()) {
      trainingLogits.add(logits.toArray());
    }
    return logits;
  }

  /** This network, remembering the logits of its training forwards from now on. */
  TinyNet recordingLogits() {
    recording = true;
    return this;
  }

  /** Mean cross-entropy of logits [N, 3] against labels, in double. */
  static double crossEntropy(float[] logits, float[] labels) {
    int k = logits.length / labels.length;
    double sum = 0;
    for (int n = 0; n < labels.length; n++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, logits[n * k + j]);
      }
      double z = 0;
      for (int j = 0; j < k; j++) {
        z += Math.exp(logits[n * k + j] - max);
      }
      sum += max + Math.log(z) - logits[n * k + (int) labels[n]];
    }
    return sum / labels.length;
  }
}
