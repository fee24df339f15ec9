package cs4j.backend.cpu;

/**
 * Along one axis of a convolution (input size, kernel size, stride, padding, output size): which
 * kernel taps of an output position read inside the unpadded input, and which output positions a
 * tap reads inside it. Output o with tap r reads input i = o·stride + r − pad, inside when 0 ≤ i
 * &lt; size; the rest read padding zeros, whose products the small-map convolutions skip. Both
 * answers are half-open ranges.
 */
record InsideTaps(int size, int kernel, int stride, int pad, int outputs) {

  /** The first tap of output o that reads inside the input. */
  int firstTap(int o) {
    return Math.max(0, pad - o * stride);
  }

  /** One past the last tap of output o that reads inside the input (≤ firstTap when none do). */
  int endTap(int o) {
    return Math.min(kernel, size + pad - o * stride);
  }

  /** The first output position whose tap r reads inside the input. */
  int firstOutput(int r) {
    return Math.max(0, Math.floorDiv(pad - r + stride - 1, stride));
  }

  /** One past the last output position whose tap r reads inside the input. */
  int endOutput(int r) {
    return Math.min(outputs, Math.floorDiv(size - 1 + pad - r, stride) + 1);
  }
}
