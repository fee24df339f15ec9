package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forward convolution y [N, K, P, Q] = conv(x, w) vectorised along output channels, for small
 * maps ({@link CpuConv#SMALL_MAP_PIXELS}), where {@link CpuConv}'s implicit GEMM along the output
 * grid would leave most of each vector on junk columns (a 2×2 map has a grid of 8). It is a GEMM yT
 * [(image, pixel), K] = colᵀ · wᵀ whose left factor is gathered from the unpadded images, skipping
 * the taps that read padding: on a 4×4 map with a 3×3 kernel and padding 1 they are 31 % of all
 * products, on a 2×2 map 56 %.
 *
 * <p>The output pixels fall into classes with the same rectangle of taps inside the image ({@link
 * InsideTaps}; nine classes for a 3×3 kernel with padding 1: corners, edges, interior). The tile
 * rows of a group of images are the class's (image, pixel) pairs, image by image and padded to
 * whole tiles; the steps are the class's taps, channel by channel. (Pixel by pixel, a tile's 8 rows
 * read 8 images whose addresses share the same L1 sets: 512-512-4 forward took 55 ms, image by
 * image 48 ms.) The weights are transposed once into panels wT [kPad / width, C·R·S, width] (width
 * = nr(), each panel contiguous), and
 *
 * <pre>
 *   yT[row(m, pixel), k] = Σ_{taps t of pixel's class} x[n0 + m, tap t of pixel] · wT[k / width, t, k % width]
 * </pre>
 *
 * is computed over blocks of about {@value #TAPS} taps (whole channels) in order, mr() rows × width
 * channels at a time, one wT panel block (32 KiB at width 32) staying in L1 for every row tile: the
 * first channel panel gathers each tile's im2col values into an A panel ({@link
 * GemmKernel#gatherPackTile}), the others read it ({@link GemmKernel#gatherTile}). yT is then
 * transposed into y. Every output is computed by one thread in the same order whatever the thread
 * count.
 */
final class ChannelVectorForward {
  /** Input floats that one group of images should occupy (512 KiB, half a Zen 4 core's L2). */
  private static final int GROUP_FLOATS = 1 << 17;

  /** Taps per depth block, at most (at least one channel); a block is whole channels. */
  private static final int TAPS = 256;

  /**
   * Output pixels whose inside taps are the same rectangle of R × S, with one step per inside tap
   * (c-major, then r, then s): its offset in the image and its row's offset in a wT panel.
   */
  private record PixelClass(int[] pixels, int tapsPerChannel, int[] xSteps, int[] bSteps) {}

  /**
   * The tile rows of a group of images: class by class, its (image, pixel) pairs (the image's
   * offset from the group's first, plus the pixel's top-left input offset), padded to whole tiles
   * by repeating the class's first row; rowOf[m·P·Q + pixel] is the row of image m's pixel.
   */
  private record Rows(int[] xRows, int[] classStart, int[] rowOf) {}

  private final ConvGeometry g;
  private final int k;
  private final GemmKernel kernel;
  private final int pixels;
  private final int kPad;
  private final int ldY;
  private final int group;
  private final int channelBlock;
  private final PixelClass[] classes;
  private final Rows full;
  private final Rows tail;

  ChannelVectorForward(ConvGeometry g, int k, GemmKernel kernel) {
    this.g = g;
    this.k = k;
    this.kernel = kernel;
    this.pixels = g.p() * g.q();
    int width = kernel.nr();
    this.kPad = (k + width - 1) / width * width;
    this.ldY = kPad + GemmKernel.ACC_ROW_SKEW;
    this.group = Math.max(1, Math.min(g.n(), GROUP_FLOATS / (g.c() * g.h() * g.w())));
    this.channelBlock = Math.max(1, TAPS / (g.r() * g.s()));
    this.classes = pixelClasses(g, width);
    this.full = rows(group);
    int rest = g.n() % group;
    this.tail = rest == 0 ? full : rows(rest);
  }

  private static PixelClass[] pixelClasses(ConvGeometry g, int width) {
    InsideTaps byRow = new InsideTaps(g.h(), g.r(), g.strideH(), g.padH(), g.p());
    InsideTaps byCol = new InsideTaps(g.w(), g.s(), g.strideW(), g.padW(), g.q());
    Map<List<Integer>, List<Integer>> byRectangle = new LinkedHashMap<>();
    for (int p = 0; p < g.p(); p++) {
      for (int q = 0; q < g.q(); q++) {
        List<Integer> rectangle =
            List.of(byRow.firstTap(p), byRow.endTap(p), byCol.firstTap(q), byCol.endTap(q));
        byRectangle.computeIfAbsent(rectangle, key -> new ArrayList<>()).add(p * g.q() + q);
      }
    }
    List<PixelClass> classes = new ArrayList<>();
    byRectangle.forEach(
        (rect, members) -> {
          int r0 = rect.get(0);
          int r1 = Math.max(r0, rect.get(1));
          int s0 = rect.get(2);
          int s1 = Math.max(s0, rect.get(3));
          int perChannel = (r1 - r0) * (s1 - s0);
          int[] xSteps = new int[g.c() * perChannel];
          int[] bSteps = new int[xSteps.length];
          int t = 0;
          for (int c = 0; c < g.c(); c++) {
            for (int r = r0; r < r1; r++) {
              for (int s = s0; s < s1; s++, t++) {
                xSteps[t] = (c * g.h() + r - g.padH()) * g.w() + s - g.padW();
                bSteps[t] = ((c * g.r() + r) * g.s() + s) * width;
              }
            }
          }
          int[] ids = members.stream().mapToInt(Integer::intValue).toArray();
          classes.add(new PixelClass(ids, perChannel, xSteps, bSteps));
        });
    return classes.toArray(new PixelClass[0]);
  }

  private Rows rows(int images) {
    int tile = kernel.mr();
    int chw = g.c() * g.h() * g.w();
    int total = 0;
    for (PixelClass pc : classes) {
      total += (pc.pixels().length * images + tile - 1) / tile * tile;
    }
    int[] xRows = new int[total];
    int[] classStart = new int[classes.length + 1];
    int[] rowOf = new int[images * pixels];
    int row = 0;
    for (int ci = 0; ci < classes.length; ci++) {
      classStart[ci] = row;
      for (int m = 0; m < images; m++) {
        for (int pixel : classes[ci].pixels()) {
          int corner = pixel / g.q() * g.strideH() * g.w() + pixel % g.q() * g.strideW();
          xRows[row] = m * chw + corner;
          rowOf[m * pixels + pixel] = row;
          row++;
        }
      }
      for (; row % tile != 0; row++) {
        xRows[row] = xRows[classStart[ci]];
      }
    }
    classStart[classes.length] = row;
    return new Rows(xRows, classStart, rowOf);
  }

  /** y [N, K, P, Q] = conv(x, w) with w [K, C·R·S]; wT is the calling thread's scratch. */
  void run(ParallelFor par, float[] x, float[] w, float[] y) {
    int crs = g.c() * g.r() * g.s();
    int width = kernel.nr();
    // wT [kPad / width, C·R·S, width], channels k ≤ j < kPad zero; one panel per task, written
    // contiguously while its width rows of w stay in L1
    float[] wT = ThreadScratch.get(ThreadScratch.Slot.CONV_WEIGHTS, crs * kPad);
    par.run(
        kPad / width,
        1,
        (ch, lo, hi) -> {
          for (int j0 = lo * width; j0 < hi * width; j0 += width) {
            int lanes = Math.min(width, k - j0);
            for (int t = 0, to = j0 * crs; t < crs; t++, to += width) {
              for (int l = 0; l < lanes; l++) {
                wT[to + l] = w[(j0 + l) * crs + t];
              }
              Arrays.fill(wT, to + lanes, to + width, 0f);
            }
          }
        });
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
    Rows rows = n1 - n0 == group ? full : tail;
    int used = rows.xRows().length;
    int tile = kernel.mr();
    int width = kernel.nr();
    // yT [rows, kPad], rows ldY apart; the rows of pixels that read only padding are 0
    float[] yT = ThreadScratch.get(ThreadScratch.Slot.CONV_GRID, used * ldY);
    // the A panels of one depth block, class by class and tile by tile [tile][steps, mr]
    float[] ap =
        ThreadScratch.get(ThreadScratch.Slot.CONV_PANEL, used * channelBlock * g.r() * g.s());
    for (int ci = 0; ci < classes.length; ci++) {
      if (classes[ci].tapsPerChannel() == 0) {
        Arrays.fill(yT, rows.classStart()[ci] * ldY, rows.classStart()[ci + 1] * ldY, 0f);
      }
    }
    int[] panelStart = new int[classes.length];
    for (int c0 = 0; c0 < g.c(); c0 += channelBlock) {
      int c1 = Math.min(g.c(), c0 + channelBlock);
      for (int ci = 0, at = 0; ci < classes.length; ci++) {
        panelStart[ci] = at;
        at +=
            (rows.classStart()[ci + 1] - rows.classStart()[ci])
                * (c1 - c0)
                * classes[ci].tapsPerChannel();
      }
      for (int j = 0; j < kPad; j += width) {
        for (int ci = 0; ci < classes.length; ci++) {
          PixelClass pc = classes[ci];
          int from = c0 * pc.tapsPerChannel();
          int to = c1 * pc.tapsPerChannel();
          if (from == to) {
            continue;
          }
          int lo = rows.classStart()[ci];
          for (int row = lo; row < rows.classStart()[ci + 1]; row += tile) {
            int aOff = panelStart[ci] + (row - lo) * (to - from);
            if (j == 0) {
              kernel.gatherPackTile(
                  from,
                  to,
                  x,
                  n0 * chw,
                  rows.xRows(),
                  row,
                  pc.xSteps(),
                  ap,
                  aOff,
                  wT,
                  pc.bSteps(),
                  0,
                  yT,
                  row * ldY,
                  ldY,
                  c0 > 0);
              continue;
            }
            kernel.gatherTile(
                to - from,
                ap,
                aOff,
                wT,
                pc.bSteps(),
                from,
                j * crs,
                yT,
                row * ldY + j,
                ldY,
                tile,
                width,
                c0 > 0);
          }
        }
      }
    }
    for (int n = n0; n < n1; n++) {
      int image = (n - n0) * pixels;
      for (int kk = 0; kk < k; kk++) {
        int to = (n * k + kk) * pixels;
        for (int p = 0; p < pixels; p++) {
          y[to + p] = yT[rows.rowOf()[image + p] * ldY + kk];
        }
      }
    }
  }
}
