package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;
import java.util.Arrays;

/**
 * The weight gradient of a layer with small output maps (VGG's 4×4 and 2×2, ResNet's 8×8), where a
 * dot product along one image's pixels is too short to vectorise well, or with many output channels
 * ({@link WeightGradient#plan}): the vectors run along output channels. dY is transposed to panels
 * dYt [kPad / width, images·P·Q, width] (width = channelWidth(), each panel contiguous); each image
 * is padded and split into stride phases ({@link StridePhases}), where the im2col value of tap (c,
 * r, s) at pixel (p, q) is {@code buf[rowStart(c, r, s) + p·wph + q]}. {@link
 * GemmKernel#channelTile} then accumulates dWᵀ [C·R·S, kPad] tiles of 8 taps × channelWidth()
 * channels in registers over every pixel of every image of the group, and adds each tile once, with
 * no lane reductions and no junk columns.
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

  private final ConvGeometry g;
  private final int k;
  private final GemmKernel kernel;
  private final StridePhases phases;
  private final int pixels;
  private final int kPad;
  private final int crsPad;
  private final int[] rowStarts;
  private final int group;
  private final int[] offsets;

  ChannelVectorGradient(ConvGeometry g, int k, GemmKernel kernel) {
    this.g = g;
    this.k = k;
    this.kernel = kernel;
    this.phases = new StridePhases(g);
    this.pixels = g.p() * g.q();
    int width = kernel.channelWidth();
    this.kPad = (k + width - 1) / width * width;
    int taps = GemmKernel.CHANNEL_ROWS;
    int crs = g.c() * g.r() * g.s();
    this.crsPad = (crs + taps - 1) / taps * taps;
    this.rowStarts = phases.tapRowStarts(crsPad);
    this.group = groupSize(g, phases, pixels, kPad);
    this.offsets = phases.pixelOffsets(group, group * pixels);
  }

  /**
   * Images per group: enough that the flops are at least {@value #WORK_PER_OVERHEAD} times the
   * bookkeeping (clearing, transposing out and adding the [kPad, crsPad] partial, about 3 floats
   * per element), at least as many as fill an L2's worth of per-image data, and at most a quarter
   * of the batch, so that up to four threads share the work.
   */
  @Override
  public int groupSize() {
    return group;
  }

  private static int groupSize(ConvGeometry g, StridePhases phases, int pixels, int kPad) {
    int perImage = phases.size() + pixels * kPad;
    int block = Math.max(1, GROUP_FLOATS / perImage);
    int forOverhead = (WORK_PER_OVERHEAD * 3 + 2 * pixels - 1) / (2 * pixels);
    int quarter = (g.n() + MIN_GROUPS - 1) / MIN_GROUPS;
    return Math.max(1, Math.min(quarter, Math.max(block, forOverhead)));
  }

  @Override
  public void accumulate(float[] x, float[] dY, int lo, int hi, float[] out, int outOff) {
    int images = hi - lo;
    int chw = g.c() * g.h() * g.w();
    int size = phases.size();
    float[] xs = ThreadScratch.get(ThreadScratch.Slot.CONV_PHASES, images * size);
    // dYt [kPad / width, images·P·Q, width]; the channels k ≤ j < kPad stay 0
    float[] dYt = ThreadScratch.get(ThreadScratch.Slot.CONV_GRID, images * pixels * kPad);
    // dWᵀ [crsPad, kPad]
    float[] acc = ThreadScratch.get(ThreadScratch.Slot.CONV_DOT_ACC, crsPad * kPad);
    Arrays.fill(acc, 0, crsPad * kPad, 0f);
    if (kPad > k) {
      Arrays.fill(dYt, 0, images * pixels * kPad, 0f);
    }
    int width = kernel.channelWidth();
    int panel = images * pixels * width;
    for (int m = 0; m < images; m++) {
      int n = lo + m;
      phases.fill(x, n * chw, xs, m * size);
      for (int kk = 0; kk < k; kk++) {
        int from = (n * k + kk) * pixels;
        int to = kk / width * panel + m * pixels * width + kk % width;
        for (int p = 0; p < pixels; p++) {
          dYt[to + p * width] = dY[from + p];
        }
      }
    }
    int taps = GemmKernel.CHANNEL_ROWS;
    // tap blocks outside: their x values stay in L1 while dYt streams through every channel block
    for (int row = 0; row < crsPad; row += taps) {
      for (int j = 0; j < kPad; j += width) {
        kernel.channelTile(
            images * pixels,
            xs,
            rowStarts,
            row,
            offsets,
            dYt,
            j / width * panel,
            width,
            acc,
            row * kPad + j,
            kPad);
      }
    }
    transposeOut(acc, out, outOff);
  }

  /**
   * out[outOff + k·C·R·S + t] = acc[t·kPad + k], in square blocks of {@value #TRANSPOSE_BLOCK}: an
   * element-by-element transpose of a 512 × 4608 layer read or wrote a new cache line per element.
   */
  private void transposeOut(float[] acc, float[] out, int outOff) {
    int crs = g.c() * g.r() * g.s();
    for (int t0 = 0; t0 < crs; t0 += TRANSPOSE_BLOCK) {
      int t1 = Math.min(crs, t0 + TRANSPOSE_BLOCK);
      for (int k0 = 0; k0 < k; k0 += TRANSPOSE_BLOCK) {
        int k1 = Math.min(k, k0 + TRANSPOSE_BLOCK);
        for (int kk = k0; kk < k1; kk++) {
          for (int t = t0; t < t1; t++) {
            out[outOff + kk * crs + t] = acc[t * kPad + kk];
          }
        }
      }
    }
  }
}
