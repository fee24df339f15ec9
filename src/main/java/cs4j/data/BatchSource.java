package cs4j.data;

/**
 * Training or evaluation data as the trainer reads it: epochs of batches of float inputs [B, ...]
 * and class labels [B]. {@link BatchLoader} is the one over 8-bit image {@link Dataset}s, {@link
 * ArrayBatches} the one over float arrays of one's own; anything else that can hand out batches can
 * implement it.
 *
 * <p>Exact resume asks one thing of an implementation: batch {@code b} of epoch {@code e} is the
 * same every time it is asked for (a pure function of (e, b)), so that a run restarted from a
 * checkpoint at (e, b) sees what an uninterrupted run saw. Evaluation reads epoch 0.
 */
public interface BatchSource {
  /** Batches in every epoch. */
  int batchesPerEpoch();

  /** The batches of {@code epoch}, in order, from batch {@code firstBatch} on (to resume a run). */
  BatchStream epoch(int epoch, int firstBatch);

  /** Every batch of {@code epoch}, in order. */
  default BatchStream epoch(int epoch) {
    return epoch(epoch, 0);
  }
}
