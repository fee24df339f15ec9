package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;
import java.util.Arrays;

/**
 * The weight gradient of one convolution, dW[k, (c, r, s)] = Σ_n Σ_pixels dY_n[k, pixel] ·
 * col_n[(c, r, s), pixel], as dot products of contiguous rows. Both factors run along pixels, so
 * instead of transposing im2col into GEMM panels, each image is padded and split into stride phases
 * ({@link StridePhases}), where every im2col row is a contiguous run over the output grid, and dY_n
 * is copied onto the same grid with zeros in the junk columns. {@link GemmKernel#dotTile} then
 * multiplies 4 rows of dY by 4 im2col rows over a block of images at a time (kept small enough for
 * L2) and adds the 4 × 4 sums into a tile-major accumulator [K/4, C·R·S/4, 4, 4], one float per
 * element of dW.
 *
 * <p>NOTE: junk grid columns read real input values and multiply them by 0; an inf or NaN in a part
 * of x that no output reads can therefore still reach dW (the direct loops would skip it).
 */
final class PixelRowGradient implements WeightGradient {
  /**
   * Floats of per-image data that one image block may occupy (1 MiB, a Zen 4 core's L2). Each
   * dotTile call ends with one lane reduction per sum, so bigger blocks pay it less often: on
   * 2026-11-27 this beat 512 KiB by about 10 % at the ResNet-20 and VGG-16 shapes.
   */
  private static final int BLOCK_FLOATS = 1 << 18;

  /** A group of images does at least this many flops per float of its fixed bookkeeping. */
  private static final int WORK_PER_OVERHEAD = 256;

  /** The batch is cut into at least this many groups (when it has that many images). */
  private static final int MIN_GROUPS = 4;

  private final ConvGeometry g;
  private final int k;
  private final GemmKernel kernel;
  private final StridePhases phases;
  private final int len;
  private final int kPad;
  private final int crsPad;
  private final int[] rowStarts;
  private final int block;

  PixelRowGradient(ConvGeometry g, int k, GemmKernel kernel) {
    this.g = g;
    this.k = k;
    this.kernel = kernel;
    this.phases = new StridePhases(g);
    int t = GemmKernel.DOT_TILE;
    int lanes = kernel.lanes();
    this.len = (phases.gridSize() + lanes - 1) / lanes * lanes;
    this.kPad = (k + t - 1) / t * t;
    int crs = g.c() * g.r() * g.s();
    this.crsPad = (crs + t - 1) / t * t;
    this.rowStarts = phases.tapRowStarts(crsPad);
    this.block = Math.max(1, Math.min(g.n(), BLOCK_FLOATS / (phases.size() + kPad * len)));
  }

  /**
   * Images per group of {@link CpuConv#backwardWeight}'s reduction, from the layer alone. A group
   * streams about 3·K·C·R·S floats through memory for its bookkeeping (clearing its partial, adding
   * it into the sum, and its share of the one copy into dW), a few floats per cycle, while its dot
   * tiles run 2·K·C·R·S·P·Q flops per image at tens of flops per cycle. So a group holds one L2
   * block of images, or more where P·Q is small, enough that the flops are at least {@value
   * #WORK_PER_OVERHEAD} times the bookkeeping floats; but at most a quarter of the batch, so that
   * up to four threads share even the smallest maps.
   */
  @Override
  public int groupSize() {
    int pq = g.p() * g.q();
    int forOverhead = (WORK_PER_OVERHEAD * 3 + 2 * pq - 1) / (2 * pq);
    int quarter = (g.n() + MIN_GROUPS - 1) / MIN_GROUPS;
    return Math.max(1, Math.min(quarter, Math.max(block, forOverhead)));
  }

  /** The tile-major accumulator [K/4, C·R·S/4, 4, 4]. */
  @Override
  public int partialSize() {
    return kPad * crsPad;
  }

  @Override
  public void accumulate(float[] x, float[] dY, int lo, int hi, float[] out, int outOff) {
    int t = GemmKernel.DOT_TILE;
    int span = Math.min(block, hi - lo);
    int chw = g.c() * g.h() * g.w();
    int pq = g.p() * g.q();
    int wph = phases.gridWidth();
    int imageGrid = kPad * len;
    float[] xs = ThreadScratch.get(ThreadScratch.Slot.CONV_PHASES, span * phases.size());
    float[] dYs = ThreadScratch.get(ThreadScratch.Slot.CONV_GRID, span * imageGrid);
    Arrays.fill(dYs, 0, span * imageGrid, 0f); // junk columns and padding rows stay 0
    Arrays.fill(out, outOff, outOff + kPad * crsPad, 0f);
    for (int n0 = lo; n0 < hi; n0 += span) {
      int images = Math.min(span, hi - n0);
      for (int m = 0; m < images; m++) {
        int n = n0 + m;
        phases.fill(x, n * chw, xs, m * phases.size());
        for (int row = 0; row < k * g.p(); row++) {
          int kk = row / g.p();
          int oh = row % g.p();
          System.arraycopy(
              dY, n * k * pq + row * g.q(), dYs, m * imageGrid + kk * len + oh * wph, g.q());
        }
      }
      for (int kt = 0; kt < kPad; kt += t) {
        for (int jt = 0; jt < crsPad; jt += t) {
          int tile = (kt / t) * (crsPad / t) + jt / t;
          kernel.dotTile(
              len,
              images,
              dYs,
              kt * len,
              len,
              imageGrid,
              xs,
              rowStarts,
              jt,
              phases.size(),
              out,
              outOff + tile * t * t);
        }
      }
    }
  }

  /** dW[k, j] = sum[tile(k, j)·16 + (k % 4)·4 + j % 4], one row of 4 × 4 tiles at a time. */
  @Override
  public void finish(float[] sum, float[] dW) {
    int t = GemmKernel.DOT_TILE;
    int crs = g.c() * g.r() * g.s();
    for (int kk = 0; kk < k; kk++) {
      int tileRow = (kk / t) * (crsPad / t) * t * t + (kk % t) * t;
      for (int j = 0; j < crs; j++) {
        dW[kk * crs + j] = sum[tileRow + (j / t) * t * t + j % t];
      }
    }
  }
}
