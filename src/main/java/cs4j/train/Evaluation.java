package cs4j.train;

import cs4j.autograd.Graph;
import cs4j.data.Batch;
import cs4j.data.BatchLoader;
import cs4j.data.BatchStream;
import cs4j.nn.Module;
import cs4j.ops.Ops;
import cs4j.tensor.Device;
import cs4j.tensor.Tensor;

/** Loss and top-1 accuracy of a model over a whole dataset, in eval mode without gradients. */
public final class Evaluation {
  private Evaluation() {}

  /** Mean loss and accuracy over every image the loader yields (epoch 0 of its order). */
  public record Result(double loss, double accuracy, int images) {}

  public static Result run(Module model, BatchLoader loader, Device device) {
    boolean wasTraining = model.isTraining();
    model.eval();
    double lossSum = 0;
    long correct = 0;
    int images = 0;
    try (var scope = Graph.noGrad();
        BatchStream stream = loader.epoch(0)) {
      while (stream.hasNext()) {
        Batch b = stream.next();
        Tensor labels = b.labels().to(device);
        Tensor logits = model.forward(b.images().to(device));
        lossSum += Ops.crossEntropy(logits, labels).item() * b.size();
        correct += correct(logits, b.labels());
        images += b.size();
      }
    } finally {
      model.train(wasTraining);
    }
    return new Result(lossSum / images, (double) correct / images, images);
  }

  /** How many rows of logits [N, K] have their maximum (first on ties) at the label. */
  static int correct(Tensor logits, Tensor labels) {
    float[] z = logits.toArray();
    float[] y = labels.toArray();
    int k = logits.dim(1);
    int hits = 0;
    for (int n = 0; n < y.length; n++) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (z[n * k + j] > z[n * k + best]) {
          best = j;
        }
      }
      if (best == (int) y[n]) {
        hits++;
      }
    }
    return hits;
  }
}
