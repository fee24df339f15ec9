package cs4j.backend.cpu;

/**
 * Packs the A panel of {@link GemmKernel#gatherTile} from values gathered by offsets: for the mr
 * rows i of a tile and the steps t in [from, to),
 *
 * <pre>
 *   ap[aOff + (t − from)·mr + i] = x[xOff + rows[row0 + i] + steps[t]]
 * </pre>
 *
 * The small-map convolutions gather so, from the unpadded input, the im2col values of a tile's rows
 * (pixels, or channels of one tap) over the steps that lie inside the image, once per tile; the
 * kernel then runs the contiguous panel against every channel panel of the output. (Broadcasting
 * each value from x in the kernel instead cost a bounds check per row and step: 75 % of the FMA
 * peak in L1, against 98 % from a panel.)
 */
final class GatheredPanel {
  private GatheredPanel() {}

  static void pack(
      int from,
      int to,
      float[] x,
      int xOff,
      int[] rows,
      int row0,
      int mr,
      int[] steps,
      float[] ap,
      int aOff) {
    for (int i = 0; i < mr; i++) {
      int base = xOff + rows[row0 + i];
      for (int t = from, a = aOff + i; t < to; t++, a += mr) {
        ap[a] = x[base + steps[t]];
      }
    }
  }
}
