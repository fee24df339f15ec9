package cs4j.backend.cpu;

/**
 * Per-thread float buffers that grow on demand and are reused across calls, so the hot kernels
 * (GEMM packing, im2col columns) make no garbage in steady state. Each use site owns one {@link
 * Slot}; a buffer is only valid until the same thread asks for the same slot again.
 *
 * <p>NOTE: a buffer may hold stale data from an earlier call and may be larger than asked for.
 */
final class ThreadScratch {
  /** The independent users of scratch space; two slots never share a buffer. */
  enum Slot {
    /** One channel of dY masked by a ReLU output [N, L], in the batch-norm + ReLU backward. */
    BN_MASKED_CHANNEL,
    /**
     * The lanes of a batch-norm sum's block on their way into the double total (a new array per row
     * was 27 MB per ResNet-20 step).
     */
    BN_LANES,
    /** op(A) packed for a whole GEMM by the calling thread, read by all workers. */
    SHARED_A,
    /** op(A) packed by one worker for its own serial GEMM. */
    LOCAL_A,
    /** A block of op(B) packed by one worker. */
    LOCAL_B,
    /**
     * Convolution weights packed or transposed once per call (the calling thread's buffer, read by
     * all workers).
     */
    CONV_WEIGHTS,
    /** Weights flipped and transposed for backward data as a forward convolution. */
    CONV_FLIPPED,
    /** Images padded and split into stride phases ({@link StridePhases}). */
    CONV_PHASES,
    /**
     * Per-image data laid out for a kernel: the forward output on the padded grid [K, P·wph], dY
     * for the weight gradient, and the small-map forward's [rows, channels] output.
     */
    CONV_GRID,
    /** Per-group partials of the weight gradient, one wave of groups, in its plan's layout. */
    CONV_WEIGHT_PARTIALS,
    /** The sum of the weight gradient's partials, in its plan's layout. */
    CONV_WEIGHT_SUM,
    /** One image's im2col columns [C·R·S, P·Q] in backward-data. */
    CONV_COLUMNS,
    /** A panels gathered from the unpadded input by the small-map convolutions. */
    CONV_PANEL,
    /** One GEMM tile on its way from vector registers to C. */
    KERNEL_TILE
  }

  private static final ThreadLocal<float[][]> BUFFERS =
      ThreadLocal.withInitial(() -> new float[Slot.values().length][0]);

  private ThreadScratch() {}

  /** A buffer of at least {@code size} floats for this thread and slot (contents undefined). */
  static float[] get(Slot slot, int size) {
    float[][] all = BUFFERS.get();
    float[] b = all[slot.ordinal()];
    if (b.length < size) {
      b = new float[size];
      all[slot.ordinal()] = b;
    }
    return b;
  }
}
