package cs4j.train;

import cs4j.autograd.Graph;
import cs4j.backend.Backend;
import cs4j.data.Batch;
import cs4j.data.BatchSource;
import cs4j.data.BatchStream;
import cs4j.nn.Module;
import cs4j.ops.Ops;
import cs4j.tensor.Device;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.Tensor;

/**
 * Loss and top-1 accuracy of a model over a whole dataset, in eval mode without gradients.
 *
 * <p>Each batch runs in its own {@link MemoryScope}; its mean loss and hit count are copied on the
 * device into slots of one buffer [2·B] of the pass, which is read once at the end: a pass waits
 * for the device once, not once per batch. The sums are then taken on the host in batch order, in
 * double precision.
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * Mean loss and accuracy over every example the source yields (epoch 0 of its order).
   *
   * @param classes the classes its labels name, 1 + the largest label: chance is at most 1/classes
   */
  public record Result(double loss, double accuracy, int images, int classes) {}

  public static Result run(Module model, BatchSource loader, Device device) {
    boolean wasTraining = model.isTraining();
    model.eval();
    int batches = loader.batchesPerEpoch();
    int[] sizes = new int[batches];
    int classes = 0;
    float[] perBatch; // [B, 2]: mean loss, hits
    try (var noGrad = Graph.noGrad();
        MemoryScope pass = device.openScope();
        BatchStream stream = loader.epoch(0)) {
      Tensor slots = Tensor.zeros(device, 2 * Math.max(1, batches));
      Backend backend = Backend.of(device);
      for (int b = 0; stream.hasNext(); b++) {
        try (MemoryScope step = device.openScope()) {
          Batch batch = stream.next();
          classes = Math.max(classes, 1 + (int) max(batch.labels().toArray()));
          Tensor labels = batch.labels().to(device);
          Tensor logits = model.forward(batch.images().to(device));
          backend.copySlice(Ops.crossEntropy(logits, labels), 0, slots, 2 * b, 1);
          backend.copySlice(Ops.countCorrect(logits, labels), 0, slots, 2 * b + 1, 1);
          sizes[b] = batch.size();
        }
      }
      perBatch = slots.toArray();
    } finally {
      model.train(wasTraining);
    }
    double lossSum = 0;
    long correct = 0;
    int images = 0;
    for (int b = 0; b < batches; b++) {
      lossSum += perBatch[2 * b] * sizes[b];
      correct += (long) perBatch[2 * b + 1];
      images += sizes[b];
    }
    return new Result(lossSum / images, (double) correct / images, images, classes);
  }

  private static float max(float[] values) {
    float m = 0;
    for (float v : values) {
      m = Math.max(m, v);
    }
    return m;
  }
}
