package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;
import java.util.Arrays;

/**
 * The weight gradient of a layer with small output maps (VGG's 4×4 and 2×2, ResNet's 8×8), where a
 * dot product along one image's pixels is too short to vectorise well, or with many output channels
 * ({@link WeightGradient#plan}): the vectors run along output channels. dY is transposed to panels
 * dYt [kPad / width, images·P·Q, width] (width = nr(), each panel contiguous). The taps are taken
 * in the order (r, s, c), channels padded to whole tiles, so that the mr() rows of a tile are
 * channels of one tap (r, s), which reads inside the unpadded image at the same (image, pixel)
 * pairs ({@link InsideTaps}); only those are the steps, and the products with padding zeros are
 * skipped (31 % of them on a 4×4 map with a 3×3 kernel and padding 1). A tile's im2col values are
 * gathered once, by the first channel panel, into an A panel ({@link GemmKernel#gatherPackTile})
 * that the others read ({@link GemmKernel#gatherTile}); together they write the group's partial dWᵀ
 * [R·S·cPad, kPad] (rows ldAcc apart) a tile of every channel panel at a time, with no lane
 * reductions and no junk columns; {@link #finish} transposes the sum into dW.
 */
final class ChannelVectorGradient implements WeightGradient {
  /** Floats of per-image data that one group should occupy (1 MiB, a Zen 4 core's L2). */
  private static final int GROUP_FLOATS = 1 << 18;

  /** A group does at least this many flops per float of its fixed bookkeeping. */
  private static final int WORK_PER_OVERHEAD = 256;

  /** Side of the square blocks in which a group's dWᵀ is transposed into dW. */
  private static final int TRANSPOSE_BLOCK = 16;

  /** The batch is cut into at least this many groups (when it has that many images). */
  private static final int MIN_GROUPS = 4;

  /**
   * For each tap rs = r·S + s, the (image, pixel) pairs of a group where it reads inside the image,
   * steps [start[rs], start[rs + 1]): the pixel's top-left input offset in the group's images and
   * its row's offset in a dYt panel.
   */
  private record Steps(int[] xSteps, int[] bSteps, int[] start) {}

  private final ConvGeometry g;
  private final int k;
  private final GemmKernel kernel;
  private final int pixels;
  private final int kPad;
  private final int ldAcc;
  private final int cPad;
  private final int[] rows;
  private final int group;
  private final Steps full;
  private final Steps tail;

  ChannelVectorGradient(ConvGeometry g, int k, GemmKernel kernel) {
    this.g = g;
    this.k = k;
    this.kernel = kernel;
    this.pixels = g.p() * g.q();
    int width = kernel.nr();
    this.kPad = (k + width - 1) / width * width;
    this.ldAcc = kPad + GemmKernel.ACC_ROW_SKEW;
    int tile = kernel.mr();
    this.cPad = (g.c() + tile - 1) / tile * tile;
    // row (r·S + s)·cPad + c: the offset of tap (c, r, s) from a pixel's top-left input; padding
    // channels repeat channel 0 and are never read back
    this.rows = new int[g.r() * g.s() * cPad];
    for (int rs = 0; rs < g.r() * g.s(); rs++) {
      for (int c = 0; c < cPad; c++) {
        int r = rs / g.s();
        int s = rs % g.s();
        rows[rs * cPad + c] = ((c < g.c() ? c : 0) * g.h() + r - g.padH()) * g.w() + s - g.padW();
      }
    }
    this.group = groupSize(g, pixels, kPad);
    this.full = steps(group);
    int rest = g.n() % group;
    this.tail = rest == 0 ? full : steps(rest);
  }

  private Steps steps(int images) {
    InsideTaps byRow = new InsideTaps(g.h(), g.r(), g.strideH(), g.padH(), g.p());
    InsideTaps byCol = new InsideTaps(g.w(), g.s(), g.strideW(), g.padW(), g.q());
    int chw = g.c() * g.h() * g.w();
    int width = kernel.nr();
    int rsCount = g.r() * g.s();
    int[] start = new int[rsCount + 1];
    for (int rs = 0; rs < rsCount; rs++) {
      int ps = Math.max(0, byRow.endOutput(rs / g.s()) - byRow.firstOutput(rs / g.s()));
      int qs = Math.max(0, byCol.endOutput(rs % g.s()) - byCol.firstOutput(rs % g.s()));
      start[rs + 1] = start[rs] + images * ps * qs;
    }
    int[] xSteps = new int[start[rsCount]];
    int[] bSteps = new int[xSteps.length];
    for (int rs = 0; rs < rsCount; rs++) {
      int r = rs / g.s();
      int s = rs % g.s();
      int t = start[rs];
      for (int m = 0; m < images; m++) {
        for (int p = byRow.firstOutput(r); p < byRow.endOutput(r); p++) {
          for (int q = byCol.firstOutput(s); q < byCol.endOutput(s); q++, t++) {
            xSteps[t] = m * chw + p * g.strideH() * g.w() + q * g.strideW();
            bSteps[t] = (m * pixels + p * g.q() + q) * width;
          }
        }
      }
    }
    return new Steps(xSteps, bSteps, start);
  }

  /**
   * Images per group: enough that the flops are at least {@value #WORK_PER_OVERHEAD} times the
   * bookkeeping (clearing the [R·S·cPad, ldAcc] partial, adding it into the sum, and a share of the
   * one transpose into dW: about 3 floats per element), at least as many as fill an L2's worth of
   * per-image data, and at most a quarter of the batch, so that up to four threads share the work.
   */
  @Override
  public int groupSize() {
    return group;
  }

  private static int groupSize(ConvGeometry g, int pixels, int kPad) {
    int perImage = g.c() * g.h() * g.w() + pixels * kPad;
    int block = Math.max(1, GROUP_FLOATS / perImage);
    int forOverhead = (WORK_PER_OVERHEAD * 3 + 2 * pixels - 1) / (2 * pixels);
    int quarter = (g.n() + MIN_GROUPS - 1) / MIN_GROUPS;
    return Math.max(1, Math.min(quarter, Math.max(block, forOverhead)));
  }

  @Override
  public void accumulate(float[] x, float[] dY, int lo, int hi, float[] out, int outOff) {
    int images = hi - lo;
    Steps steps = images == group ? full : tail;
    if (images != group && images != g.n() % group) {
      throw new IllegalArgumentException(
          "ChannelVectorGradient: a group of " + images + " images; groups are " + group);
    }
    int chw = g.c() * g.h() * g.w();
    // dYt [kPad / width, images·P·Q, width]; the channels k ≤ j < kPad stay 0
    float[] dYt = ThreadScratch.get(ThreadScratch.Slot.CONV_GRID, images * pixels * kPad);
    if (kPad > k) {
      Arrays.fill(dYt, 0, images * pixels * kPad, 0f);
    }
    int width = kernel.nr();
    int panel = images * pixels * width;
    for (int m = 0; m < images; m++) {
      int n = lo + m;
      for (int kk = 0; kk < k; kk++) {
        int from = (n * k + kk) * pixels;
        int to = kk / width * panel + m * pixels * width + kk % width;
        for (int p = 0; p < pixels; p++) {
          dYt[to + p * width] = dY[from + p];
        }
      }
    }
    int tile = kernel.mr();
    float[] ap = ThreadScratch.get(ThreadScratch.Slot.CONV_PANEL, maxSteps(steps) * tile);
    // out: dWᵀ [R·S·cPad, kPad], rows ldAcc apart; one A panel of a tap's channels at a time,
    // gathered by the first channel panel of dYt and read by the others
    for (int rs = 0; rs < g.r() * g.s(); rs++) {
      int from = steps.start()[rs];
      int to = steps.start()[rs + 1];
      if (from == to) {
        // this tap reads only padding: its gradient is 0
        Arrays.fill(out, outOff + rs * cPad * ldAcc, outOff + (rs + 1) * cPad * ldAcc, 0f);
        continue;
      }
      for (int c = 0; c < cPad; c += tile) {
        int row = rs * cPad + c;
        kernel.gatherPackTile(
            from,
            to,
            x,
            lo * chw,
            rows,
            row,
            steps.xSteps(),
            ap,
            0,
            dYt,
            steps.bSteps(),
            0,
            out,
            outOff + row * ldAcc,
            ldAcc,
            false);
        for (int j = width; j < kPad; j += width) {
          kernel.gatherTile(
              to - from,
              ap,
              0,
              dYt,
              steps.bSteps(),
              from,
              j / width * panel,
              out,
              outOff + row * ldAcc + j,
              ldAcc,
              tile,
              width,
              false);
        }
      }
    }
  }

  private static int maxSteps(Steps steps) {
    int most = 0;
    for (int rs = 0; rs + 1 < steps.start().length; rs++) {
      most = Math.max(most, steps.start()[rs + 1] - steps.start()[rs]);
    }
    return most;
  }

  /** dWᵀ [R·S·cPad, kPad], rows ldAcc apart. */
  @Override
  public int partialSize() {
    return rows.length * ldAcc;
  }

  /**
   * dW[k, c·R·S + rs] = sum[(rs·cPad + c)·ldAcc + k], in blocks of {@value #TRANSPOSE_BLOCK}
   * channels × {@value #TRANSPOSE_BLOCK} output channels. Each row of sum is read a cache line at a
   * time, once (the R·S rows of one channel are a power of two apart and would share one L1 set),
   * into a block of dW whose 16 rows of 16·R·S floats stay in L1.
   */
  @Override
  public void finish(float[] sum, float[] dW) {
    int rsCount = g.r() * g.s();
    int crs = g.c() * rsCount;
    for (int c0 = 0; c0 < g.c(); c0 += TRANSPOSE_BLOCK) {
      int c1 = Math.min(g.c(), c0 + TRANSPOSE_BLOCK);
      for (int k0 = 0; k0 < k; k0 += TRANSPOSE_BLOCK) {
        int k1 = Math.min(k, k0 + TRANSPOSE_BLOCK);
        for (int rs = 0; rs < rsCount; rs++) {
          for (int c = c0; c < c1; c++) {
            int from = (rs * cPad + c) * ldAcc;
            int to = c * rsCount + rs;
            for (int kk = k0; kk < k1; kk++) {
              dW[kk * crs + to] = sum[from + kk];
            }
          }
        }
      }
    }
  }
}
