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
    if (mr == 8) {
      packEight(from, to, x, xOff, rows, row0, steps, ap, aOff);
      return;
    }
    for (int t = from, a = aOff; t < to; t++) {
      int o = xOff + steps[t];
      for (int i = 0; i < mr; i++, a++) {
        ap[a] = x[rows[row0 + i] + o];
      }
    }
  }

  /** The 8-row panel of the vector kernel, unrolled: one step's 8 values per iteration. */
  private static void packEight(
      int from,
      int to,
      float[] x,
      int xOff,
      int[] rows,
      int row0,
      int[] steps,
      float[] ap,
      int aOff) {
    int x0 = xOff + rows[row0];
    int x1 = xOff + rows[row0 + 1];
    int x2 = xOff + rows[row0 + 2];
    int x3 = xOff + rows[row0 + 3];
    int x4 = xOff + rows[row0 + 4];
    int x5 = xOff + rows[row0 + 5];
    int x6 = xOff + rows[row0 + 6];
    int x7 = xOff + rows[row0 + 7];
    for (int t = from, a = aOff; t < to; t++, a += 8) {
      int o = steps[t];
      ap[a] = x[x0 + o];
      ap[a + 1] = x[x1 + o];
      ap[a + 2] = x[x2 + o];
      ap[a + 3] = x[x3 + o];
      ap[a + 4] = x[x4 + o];
      ap[a + 5] = x[x5 + o];
      ap[a + 6] = x[x6 + o];
      ap[a + 7] = x[x7 + o];
    }
  }
}
