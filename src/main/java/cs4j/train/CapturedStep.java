package cs4j.train;

import cs4j.data.Batch;
import cs4j.tensor.Device;
import cs4j.tensor.HostStorage;
import cs4j.tensor.StepGraph;
import cs4j.tensor.Tensor;

/**
 * A training step captured as two device graphs ({@link Device#capture}): forward and backward
 * writing [loss, cross-entropy, hits] into a fixed readout buffer, then the optimiser update. They
 * are two so that the host reads the readout (its one wait per step) and checks the loss between
 * them, as in an eager step: a non-finite loss stops training before the update. Batches are copied
 * into fixed input buffers before each replay, since a graph reads the addresses it was recorded
 * with.
 *
 * <p>It owns its buffers and its graphs' memory; {@link #close()} releases them. It holds only
 * while its {@link #key()} (the learning rate, the hooks' step keys, the batch size and the
 * optimisers' started state) stays the same.
 */
final class CapturedStep implements AutoCloseable {
  /** Forward and backward from device inputs into readout [3]; returns where the loss came from. */
  @FunctionalInterface
  interface Gradients {
    String run(Tensor images, Tensor labels, Tensor readout);
  }

  private final Object key;
  private final Tensor images;
  private final Tensor labels;
  private final Tensor readout;
  private final StepGraph gradients;
  private final StepGraph update;
  private final String lossSource;

  private CapturedStep(
      Object key,
      Tensor images,
      Tensor labels,
      Tensor readout,
      StepGraph gradients,
      StepGraph update,
      String lossSource) {
    this.key = key;
    this.images = images;
    this.labels = labels;
    this.readout = readout;
    this.gradients = gradients;
    this.update = update;
    this.lossSource = lossSource;
  }

  /**
   * Records the step of {@code body} and {@code updateBody} for batches shaped like {@code like}.
   */
  static CapturedStep record(
      Object key, Batch like, Device device, Gradients body, Runnable updateBody) {
    Tensor images = Tensor.zeros(like.images().shape(), device);
    Tensor labels = Tensor.zeros(like.labels().shape(), device);
    Tensor readout = Tensor.zeros(device, 3);
    StepGraph g = null;
    try {
      String[] source = new String[1];
      g = device.capture(() -> source[0] = body.run(images, labels, readout));
      StepGraph u = device.capture(updateBody);
      return new CapturedStep(key, images, labels, readout, g, u, source[0]);
    } catch (RuntimeException | Error e) {
      if (g != null) {
        g.close();
      }
      images.release();
      labels.release();
      readout.release();
      throw e;
    }
  }

  Object key() {
    return key;
  }

  /** " (output of OP)": where the loss of this step comes from, for the divergence message. */
  String lossSource() {
    return lossSource;
  }

  /** Forward and backward of {@code batch}; returns the readout (the step's one host wait). */
  float[] gradients(Batch batch) {
    images.copyFrom(hostValues(batch.images()));
    labels.copyFrom(hostValues(batch.labels()));
    gradients.replay();
    return readout.toArray();
  }

  /** The optimisers' update, after {@link #gradients}. */
  void update() {
    update.replay();
  }

  /** A host tensor's own array (batches are built on the host), without a copy. */
  private static float[] hostValues(Tensor t) {
    return t.storage() instanceof HostStorage h ? h.data() : t.toArray();
  }

  @Override
  public void close() {
    gradients.close();
    update.close();
    images.release();
    labels.release();
    readout.release();
  }
}
