package cs4j.data;

import cs4j.tensor.HostStorage;
import cs4j.tensor.Rng;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;

/**
 * Turns a {@link Dataset} into batches of normalised float tensors, augmented and in a new order
 * every epoch.
 *
 * <p>Determinism: the order of epoch e is a shuffle seeded by (seed, e); the augmentation of batch
 * b of epoch e draws from a generator seeded by (seed, e, b). A batch is therefore a pure function
 * of (dataset, options, e, b): {@link #batch} rebuilds any batch on its own, a run resumed at (e,
 * b) sees exactly the batches an uninterrupted run sees, and preparing batches on another thread
 * ({@link BatchStream}) changes nothing.
 */
public final class BatchLoader implements BatchSource {
  private final Dataset data;
  private final float[][] table; // [C][256]: normalised value of each byte value
  private final Augmentation augmentation;
  private final LoaderOptions options;

  public BatchLoader(
      Dataset data, Normalization normalization, Augmentation augmentation, LoaderOptions options) {
    if (normalization.channels() != data.channels()) {
      throw new IllegalArgumentException(
          "BatchLoader: normalization has "
              + normalization.channels()
              + " channels, "
              + data.name()
              + " has "
              + data.channels());
    }
    this.data = data;
    this.table = normalization.lookupTable();
    this.augmentation = augmentation;
    this.options = options;
  }

  public Dataset dataset() {
    return data;
  }

  public LoaderOptions options() {
    return options;
  }

  /** Batches per epoch: ⌊N/B⌋ with dropLast, else ⌈N/B⌉. */
  @Override
  public int batchesPerEpoch() {
    return options.batchesPerEpoch(data.size());
  }

  /** The dataset indices in the order epoch {@code epoch} visits them: [N]. */
  public int[] order(int epoch) {
    return options.order(data.size(), epoch);
  }

  /** Batch {@code index} of epoch {@code epoch}, built on the calling thread. */
  public Batch batch(int epoch, int index) {
    return assemble(order(epoch), epoch, index);
  }

  /**
   * The batches of {@code epoch} from {@code firstBatch} on, each prepared on a background thread
   * one batch ahead.
   */
  @Override
  public BatchStream epoch(int epoch, int firstBatch) {
    int[] order = order(epoch);
    return new BatchStream(
        epoch, firstBatch, batchesPerEpoch(), index -> assemble(order, epoch, index));
  }

  /** Batch {@code index} of the epoch whose order is {@code order}. */
  private Batch assemble(int[] order, int epoch, int index) {
    if (index < 0 || index >= batchesPerEpoch()) {
      throw new IndexOutOfBoundsException(
          "BatchLoader: batch "
              + index
              + " of epoch "
              + epoch
              + ", epoch has "
              + batchesPerEpoch());
    }
    int c = data.channels();
    int h = data.height();
    int w = data.width();
    int plane = h * w;
    int size = data.imageSize();
    int start = index * options.batchSize();
    int count = Math.min(options.batchSize(), data.size() - start);
    Rng rng = new Rng(Randomness.derive(options.seed(), Randomness.AUGMENT, epoch, index));
    byte[] pixels = data.pixels();
    byte[] image = new byte[size];
    float[] images = new float[count * size]; // B, C, H, W
    float[] labels = new float[count]; // B
    for (int j = 0; j < count; j++) {
      int i = order[start + j];
      augmentation.apply(pixels, i * size, image, 0, c, h, w, rng);
      for (int ch = 0; ch < c; ch++) {
        float[] t = table[ch];
        int in = ch * plane;
        int out = j * size + ch * plane;
        for (int k = 0; k < plane; k++) {
          images[out + k] = t[image[in + k] & 0xFF];
        }
      }
      labels[j] = data.label(i);
    }
    return new Batch(
        new Tensor(Shape.of(count, c, h, w), new HostStorage(images)),
        new Tensor(Shape.of(count), new HostStorage(labels)),
        epoch,
        index);
  }
}
