package cs4j.data;

import cs4j.tensor.HostStorage;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import java.util.Arrays;

/**
 * A {@link BatchSource} over examples one already holds as floats: N inputs of one shape, stored
 * one after another in a float array, and N class labels. Inputs are used as given (normalise them
 * first); the order is the array's, or a new shuffle every epoch drawn from (seed, epoch) as {@link
 * BatchLoader} draws it, so batches are a pure function of (epoch, index) and a run resumes
 * exactly.
 *
 * <pre>{@code
 * float[] x = ...;                     // [N, 784] row-major
 * int[] y = ...;                       // [N], classes 0 … K−1
 * BatchSource train = new ArrayBatches(x, y, new int[] {784}, LoaderOptions.training(64, 1234));
 * BatchSource test = new ArrayBatches(xt, yt, new int[] {784}, LoaderOptions.evaluation(256));
 * }</pre>
 *
 * The arrays are not copied: do not change them while a run reads them.
 */
public final class ArrayBatches implements BatchSource {
  private final float[] inputs; // [N, ...example]
  private final int[] labels; // [N]
  private final int[] example; // the shape of one input
  private final int exampleSize;
  private final LoaderOptions options;

  /**
   * @param inputs N inputs of shape {@code example}, one after another: [N, ...example]
   * @param labels N class indices, each >= 0
   * @param example the shape of one input, such as {784} or {1, 28, 28}
   * @param options batch size, shuffling and its seed, dropping a short last batch
   */
  public ArrayBatches(float[] inputs, int[] labels, int[] example, LoaderOptions options) {
    if (labels.length == 0) {
      throw new IllegalArgumentException("ArrayBatches: no examples (labels is empty)");
    }
    this.exampleSize = Shape.of(example).numel();
    if ((long) labels.length * exampleSize != inputs.length) {
      throw new IllegalArgumentException(
          "ArrayBatches: "
              + labels.length
              + " labels of inputs of shape "
              + Arrays.toString(example)
              + " need "
              + (long) labels.length * exampleSize
              + " floats, got "
              + inputs.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException(
            "ArrayBatches: label " + i + " is " + labels[i] + "; classes are 0, 1, …");
      }
    }
    if (options.batchesPerEpoch(labels.length) == 0) {
      throw new IllegalArgumentException(
          "ArrayBatches: "
              + labels.length
              + " examples make no batch of "
              + options.batchSize()
              + " when the short last batch is dropped");
    }
    this.inputs = inputs;
    this.labels = labels;
    this.example = example.clone();
    this.options = options;
  }

  /** Examples, N. */
  public int size() {
    return labels.length;
  }

  @Override
  public int batchesPerEpoch() {
    return options.batchesPerEpoch(labels.length);
  }

  @Override
  public BatchStream epoch(int epoch, int firstBatch) {
    int[] order = options.order(labels.length, epoch);
    return new BatchStream(
        epoch, firstBatch, batchesPerEpoch(), index -> assemble(order, epoch, index));
  }

  /** Batch {@code index} of the epoch whose order is {@code order}: inputs [B, ...example]. */
  private Batch assemble(int[] order, int epoch, int index) {
    int start = index * options.batchSize();
    int count = Math.min(options.batchSize(), labels.length - start);
    float[] x = new float[count * exampleSize];
    float[] y = new float[count];
    for (int j = 0; j < count; j++) {
      int i = order[start + j];
      System.arraycopy(inputs, i * exampleSize, x, j * exampleSize, exampleSize);
      y[j] = labels[i];
    }
    int[] dims = new int[example.length + 1];
    dims[0] = count;
    System.arraycopy(example, 0, dims, 1, example.length);
    return new Batch(
        new Tensor(Shape.of(dims), new HostStorage(x)),
        new Tensor(Shape.of(count), new HostStorage(y)),
        epoch,
        index);
  }
}
