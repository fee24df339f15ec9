package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;
import java.util.Arrays;

/**
 * The forward convolution y [N, K, P, Q] = conv(x, w) vectorised along output channels, for small
 * maps ({@link CpuConv#SMALL_MAP_PIXELS}), where {@link CpuConv}'s implicit GEMM along the output
 * grid would leave most of each vector on junk columns (a 2×2 map has a grid of 8). It is a GEMM yT
 * [(image, pixel), K] = colᵀ · wᵀ whose left factor is gathered by broadcasts: the weights are
 * transposed once into panels wT [kPad / width, C·R·S, width] (width = channelWidth(), each panel
 * contiguous); the images are padded and split into stride phases ({@link StridePhases}) a group at
 * a time; then for every (image m, pixel) row of the group
 *
 * <pre>
 *   yT[m·P·Q + pixel, k] = Σ_t buf[m·size + grid(pixel) + rowStart(t)] · wT[k / width, t, k % width]
 * </pre>
 *
 * is computed by {@link GemmKernel#channelTile} 8 rows × width channels at a time, over blocks of
 * {@value #TAPS} taps in order (one panel block, 32 KiB at width 32, stays in L1 for every row
 * tile), and yT is transposed into y. Every output is computed by one thread in the same order
 * whatever the thread count.
 */
final class ChannelVectorForward {
  /** Floats of padded images that one group should occupy (512 KiB, half a Zen 4 core's L2). */
  private static final int GROUP_FLOATS = 1 << 17;

  /** Taps per depth block. */
  private static final int TAPS = 256;

  private final ConvGeometry g;
  private final int k;
  private final GemmKernel kernel;
  private final StridePhases phases;
  private final int pixels;
  private final int kPad;
  private final int group;
  private final int rowsPad;
  private final int[][] tapBlocks;
  private final int[] rows;

  ChannelVectorForward(ConvGeometry g, int k, GemmKernel kernel) {
    this.g = g;
    this.k = k;
    this.kernel = kernel;
    this.phases = new StridePhases(g);
    this.pixels = g.p() * g.q();
    int width = kernel.channelWidth();
    this.kPad = (k + width - 1) / width * width;
    this.group = Math.max(1, Math.min(g.n(), GROUP_FLOATS / phases.size()));
    int tile = GemmKernel.CHANNEL_ROWS;
    this.rowsPad = (group * pixels + tile - 1) / tile * tile;
    int crs = g.c() * g.r() * g.s();
    int[] rowStarts = phases.tapRowStarts(crs);
    this.tapBlocks = new int[(crs + TAPS - 1) / TAPS][];
    for (int d = 0; d < tapBlocks.length; d++) {
      tapBlocks[d] = Arrays.copyOfRange(rowStarts, d * TAPS, Math.min(crs, (d + 1) * TAPS));
    }
    // row (image m, pixel (p, q)); padding rows repeat row 0 and are never read back
    this.rows = phases.pixelOffsets(group, rowsPad);
  }

  /** y [N, K, P, Q] = conv(x, w) with w [K, C·R·S]; wT is the calling thread's scratch. */
  void run(ParallelFor par, float[] x, float[] w, float[] y) {
    int crs = g.c() * g.r() * g.s();
    int width = kernel.channelWidth();
    // wT [kPad / width, C·R·S, width], channels k ≤ j < kPad zero
    float[] wT = ThreadScratch.get(ThreadScratch.Slot.CONV_WEIGHTS, crs * kPad);
    Arrays.fill(wT, 0, crs * kPad, 0f);
    for (int kk = 0; kk < k; kk++) {
      int panel = kk / width * crs * width + kk % width;
      for (int t = 0; t < crs; t++) {
        wT[panel + t * width] = w[kk * crs + t];
      }
    }
    par.run(
        ParallelFor.blocks(g.n(), group),
        1,
        (ch, lo, hi) -> {
          for (int b = lo; b < hi; b++) {
            runGroup(x, wT, y, b * group, Math.min(g.n(), (b + 1) * group));
          }
        });
  }

  private void runGroup(float[] x, float[] wT, float[] y, int n0, int n1) {
    int crs = g.c() * g.r() * g.s();
    int chw = g.c() * g.h() * g.w();
    int size = phases.size();
    float[] xs = ThreadScratch.get(ThreadScratch.Slot.CONV_PHASES, group * size);
    // yT [rowsPad, kPad]
    float[] yT = ThreadScratch.get(ThreadScratch.Slot.CONV_GRID, rowsPad * kPad);
    Arrays.fill(yT, 0, rowsPad * kPad, 0f);
    for (int n = n0; n < n1; n++) {
      phases.fill(x, n * chw, xs, (n - n0) * size);
    }
    int used = (n1 - n0) * pixels;
    int tile = GemmKernel.CHANNEL_ROWS;
    int width = kernel.channelWidth();
    for (int d = 0, t0 = 0; d < tapBlocks.length; t0 += tapBlocks[d].length, d++) {
      for (int j = 0; j < kPad; j += width) {
        int panel = j * crs + t0 * width;
        for (int row = 0; row < used; row += tile) {
          kernel.channelTile(
              tapBlocks[d].length,
              xs,
              rows,
              row,
              tapBlocks[d],
              wT,
              panel,
              width,
              yT,
              row * kPad + j,
              kPad);
        }
      }
    }
    for (int n = n0; n < n1; n++) {
      int from = (n - n0) * pixels * kPad;
      for (int kk = 0; kk < k; kk++) {
        int to = (n * k + kk) * pixels;
        for (int p = 0; p < pixels; p++) {
          y[to + p] = yT[from + p * kPad + kk];
        }
      }
    }
  }
}
