package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;
import java.util.Arrays;

/**
 * Convolution as implicit GEMM: im2col values are read straight from each image padded and split
 * into stride phases ({@link StridePhases}), where every im2col row is one contiguous run over the
 * output grid, so the column matrix is never materialised or packed. Shapes: x [N, C, H, W], w [K,
 * C, R, S], y [N, K, P, Q]; col_n [C·R·S, P·Q] is image n's column matrix.
 *
 * <ul>
 *   <li>forward, maps of more than {@link #SMALL_MAP_PIXELS} pixels: y_n = w · col_n along the
 *       output grid ({@link GemmKernel#gatherTile}), images split over threads, w packed once.
 *   <li>forward, small maps: along output channels ({@link ChannelVectorForward}), where a grid row
 *       is shorter than a vector (VGG's 4×4 and 2×2 maps).
 *   <li>backward data, stride 1 and C ≥ the tile height: dX = dY ⋆ w̃, a forward convolution of dY
 *       with the flipped, transposed kernel w̃[c, k, r, s] = w[k, c, R−1−r, S−1−s] and padding
 *       R−1−pad.
 *   <li>backward data, otherwise: col = wᵀ · dY_n into a per-thread buffer, then dX_n =
 *       col2im(col).
 *   <li>backward weight: dW = Σ_n dY_n · col_nᵀ by a {@link WeightGradient} plan, one partial per
 *       fixed group of images; the partials are added in group order.
 * </ul>
 *
 * <p>All three are bit-identical for any thread count: forward and backward data compute each
 * output on one thread in a fixed order; backward weight's groups do not depend on the threads.
 */
final class CpuConv {
  /**
   * Output maps of at most this many pixels run along output channels ({@link
   * ChannelVectorForward}, {@link ChannelVectorGradient}). Measured on 2026-11-28 (Zen 4, AVX-512,
   * batch 128, ms per forward call, along the grid → along channels): 512-512-2 91 → 20, 512-512-4
   * 98 → 67, 256-256-8 68 → 62, 64-64-8 5.0 → 3.7, but 32-32-16 3.7 → 4.4 and 128-128-16 53 → 55.
   */
  static final int SMALL_MAP_PIXELS = 64;

  /** Input channels per thread, at least, when the weights are flipped for backward data. */
  private static final int FLIP_GRAIN = 16;

  /** Partial elements per thread, at least, when the groups' partials are added. */
  private static final int SUM_GRAIN = 1 << 14;

  private final ParallelFor par;
  private final CpuGemm gemm;
  private final ConvPlans plans;

  CpuConv(ParallelFor par, CpuGemm gemm) {
    this.par = par;
    this.gemm = gemm;
    this.plans = new ConvPlans(gemm.kernel());
  }

  /** y [N, K, P, Q] = conv(x, w). */
  void forward(float[] x, float[] w, float[] y, ConvGeometry g) {
    int crs = g.c() * g.r() * g.s();
    forwardWith(x, w, w.length / crs, y, g);
  }

  /** y = conv(x, w) with w [k, C·R·S], along output channels or along the output grid. */
  private void forwardWith(float[] x, float[] w, int k, float[] y, ConvGeometry g) {
    if (g.p() * g.q() <= SMALL_MAP_PIXELS) {
      plans.forward(g, k).run(par, x, w, y);
      return;
    }
    int crs = g.c() * g.r() * g.s();
    forwardPacked(x, packWeights(DenseOperand.depthContiguous(w, 0, crs), k, crs), y, g);
  }

  /**
   * Packs the weights [k, depth] (as a GEMM A operand) into one panel of mr rows over the whole
   * depth per row group, the A layout of {@link GemmKernel#gatherTile}; thread scratch.
   */
  private PackedWeights packWeights(GemmOperand w, int k, int depth) {
    float[] wp = ThreadScratch.get(ThreadScratch.Slot.CONV_WEIGHTS, gemm.packedSize(k, depth));
    w.pack(0, k, 0, depth, gemm.kernel().mr(), wp, 0);
    return new PackedWeights(wp, k);
  }

  /** Weights [k, C·R·S] packed by {@link #packWeights}. */
  private record PackedWeights(float[] panels, int k) {}

  /**
   * Forward with packed weights, as an implicit GEMM: y_n [k, grid] = w · col_n, where the kernel
   * reads each im2col row straight from the image's {@link StridePhases} buffer (row d = (c·R +
   * r)·S + s starts at rowStart(c, r, s)), so no B panel is packed.
   */
  private void forwardPacked(float[] x, PackedWeights w, float[] y, ConvGeometry g) {
    int nr = gemm.kernel().nr();
    int k = w.k();
    int pq = g.p() * g.q();
    int chw = g.c() * g.h() * g.w();
    StridePhases phases = new StridePhases(g);
    int[] rowStarts = phases.tapRowStarts(g.c() * g.r() * g.s());
    int wph = phases.gridWidth();
    int grid = phases.gridSize();
    boolean rowTiles = g.q() % nr == 0;
    par.run(
        g.n(),
        1,
        (ch, lo, hi) -> {
          float[] buf = ThreadScratch.get(ThreadScratch.Slot.CONV_PHASES, phases.size());
          // otherwise y_n [k, P·wph], tiles running across grid rows: y itself when there are no
          // junk columns, else a grid buffer
          boolean direct = wph == g.q();
          float[] out =
              direct || rowTiles ? y : ThreadScratch.get(ThreadScratch.Slot.CONV_GRID, k * grid);
          for (int n = lo; n < hi; n++) {
            phases.fill(x, n * chw, buf, 0);
            if (rowTiles) {
              // each output row is whole tiles: no junk columns, and y is written in place
              for (int p = 0; p < g.p(); p++) {
                for (int q = 0; q < g.q(); q += nr) {
                  tileColumn(w, buf, rowStarts, p * wph + q, nr, y, n * k * pq + p * g.q() + q, pq);
                }
              }
              continue;
            }
            int outOff = direct ? n * k * pq : 0;
            for (int col = 0; col < grid; col += nr) {
              tileColumn(w, buf, rowStarts, col, Math.min(nr, grid - col), out, outOff + col, grid);
            }
            if (!direct) {
              // drop the junk grid columns q ≥ Q
              for (int row = 0; row < k * g.p(); row++) {
                System.arraycopy(out, row * wph, y, n * k * pq + row * g.q(), g.q());
              }
            }
          }
        });
  }

  /**
   * Output columns [col, col + cols) of the grid, for every output channel: C[kk, j] at c[cOff +
   * kk·ldc + j], mr() channels at a time, so the gathered im2col rows are reused from L1.
   */
  private void tileColumn(
      PackedWeights w,
      float[] buf,
      int[] rowStarts,
      int col,
      int cols,
      float[] c,
      int cOff,
      int ldc) {
    GemmKernel kernel = gemm.kernel();
    int mr = kernel.mr();
    int crs = rowStarts.length;
    for (int i = 0; i < w.k(); i += mr) {
      kernel.gatherTile(
          crs,
          w.panels(),
          i * crs,
          buf,
          rowStarts,
          0,
          col,
          c,
          cOff + i * ldc,
          ldc,
          Math.min(mr, w.k() - i),
          cols,
          false);
    }
  }

  /** dX [N, C, H, W] = the gradient of conv2d with respect to x. */
  void backwardData(float[] dY, float[] w, float[] dX, ConvGeometry g) {
    // With fewer input channels than GEMM tile rows (the 3-channel stem) the forward form would
    // mostly compute padding rows; col2im is faster there.
    boolean asForward =
        g.strideH() == 1
            && g.strideW() == 1
            && g.padH() < g.r()
            && g.padW() < g.s()
            && g.c() >= gemm.kernel().mr();
    if (asForward) {
      backwardDataAsForward(dY, w, dX, g);
    } else {
      backwardDataByCol2im(dY, w, dX, g);
    }
  }

  private void backwardDataAsForward(float[] dY, float[] w, float[] dX, ConvGeometry g) {
    int rs = g.r() * g.s();
    int k = w.length / (g.c() * rs);
    // w̃ [C, K, R, S]
    float[] flipped = ThreadScratch.get(ThreadScratch.Slot.CONV_FLIPPED, w.length);
    par.run(
        g.c(),
        FLIP_GRAIN,
        (ch, lo, hi) -> {
          for (int c = lo; c < hi; c++) {
            for (int kk = 0; kk < k; kk++) {
              int from = (kk * g.c() + c) * rs;
              int to = (c * k + kk) * rs;
              for (int i = 0; i < rs; i++) {
                flipped[to + i] = w[from + rs - 1 - i];
              }
            }
          }
        });
    ConvGeometry gt =
        new ConvGeometry(
            g.n(), k, g.p(), g.q(), g.r(), g.s(), 1, 1, g.r() - 1 - g.padH(), g.s() - 1 - g.padW());
    forwardWith(dY, flipped, g.c(), dX, gt);
  }

  private void backwardDataByCol2im(float[] dY, float[] w, float[] dX, ConvGeometry g) {
    int crs = g.c() * g.r() * g.s();
    int pq = g.p() * g.q();
    int chw = g.c() * g.h() * g.w();
    int k = w.length / crs;
    // wᵀ as X[o = crs, d = k] = w[k·CRS + crs]
    float[] wp = ThreadScratch.get(ThreadScratch.Slot.CONV_WEIGHTS, gemm.packedSize(crs, k));
    gemm.packA(DenseOperand.outerContiguous(w, 0, crs), crs, k, wp);
    par.run(
        g.n(),
        1,
        (ch, lo, hi) -> {
          float[] col = ThreadScratch.get(ThreadScratch.Slot.CONV_COLUMNS, crs * pq);
          for (int n = lo; n < hi; n++) {
            // dY_n as X[o = pixel, d = k] = dY[n, k, pixel]
            GemmOperand dYn = DenseOperand.outerContiguous(dY, n * k * pq, pq);
            gemm.multiplyPacked(wp, crs, 0, crs, dYn, 0, pq, k, 1f, 0f, col, 0, pq);
            Arrays.fill(dX, n * chw, (n + 1) * chw, 0f);
            Im2col.col2im(col, dX, n * chw, g);
          }
        });
  }

  /**
   * dW [K, C, R, S] = Σ_n dY_n · col_nᵀ (overwrites dW). The images are cut into groups of {@link
   * WeightGradient#groupSize} (a cost model of the layer, not of the threads); each group's partial
   * is computed alone, in the plan's layout, and the sum ((p_0 + p_1) + p_2) + …, in group order,
   * is turned into dW once. The threads take one wave of groups at a time, one partial buffer each.
   */
  void backwardWeight(float[] x, float[] dY, float[] dW, ConvGeometry g) {
    int crs = g.c() * g.r() * g.s();
    int k = dW.length / crs;
    WeightGradient plan = plans.gradient(g, k);
    int group = plan.groupSize();
    int size = plan.partialSize();
    int wave = Math.min(ParallelFor.blocks(g.n(), group), par.threads());
    float[] partials = ThreadScratch.get(ThreadScratch.Slot.CONV_WEIGHT_PARTIALS, wave * size);
    float[] sum = ThreadScratch.get(ThreadScratch.Slot.CONV_WEIGHT_SUM, size);
    for (int n0 = 0; n0 < g.n(); n0 += wave * group) {
      int first = n0;
      int images = Math.min(g.n() - n0, wave * group);
      par.runBlocks(
          images,
          group,
          (b, lo, hi) -> plan.accumulate(x, dY, first + lo, first + hi, partials, b * size));
      int blocks = ParallelFor.blocks(images, group);
      // each element adds the partials in group order, whichever thread runs its range
      par.run(
          size,
          SUM_GRAIN,
          (ch, lo, hi) -> {
            for (int b = 0; b < blocks; b++) {
              int at = b * size;
              if (first == 0 && b == 0) {
                System.arraycopy(partials, lo, sum, lo, hi - lo);
                continue;
              }
              for (int j = lo; j < hi; j++) {
                sum[j] += partials[at + j];
              }
            }
          });
    }
    plan.finish(sum, dW);
  }
}
