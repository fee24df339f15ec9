package cs4j.backend.cuda;

/**
 * How a GEMM-shaped kernel of kernels/gemm_tile.cuh is launched for C [M, N] with reduction length
 * K: which tile shape (by N, the column count: the channel count for convolutions) and how many
 * split-K slices. Splitting adds a cs4j_splitk_reduce pass but lets a product with few output tiles
 * and a long reduction (a convolution's weight gradient: N·P·Q long) fill the GPU.
 *
 * <p>The plan depends on the shapes only, never on the device, so the slices, and the rounding of
 * their sum, are the same everywhere.
 */
record TilePlan(String suffix, int bm, int bn, int splits, int kPer) {
  /** Reduction slice of the kernels (CS4J_BK). */
  static final int BK = 16;

  /** Enough blocks for about two waves on an H100 (132 SMs, 2 resident tile blocks each). */
  static final int TARGET_BLOCKS = 512;

  /** No split-K slice is shorter than this. */
  static final int MIN_SLICE = 128;

  static TilePlan of(int m, int n, int k) {
    String suffix;
    int bm;
    int bn;
    if (n <= 16) {
      suffix = "_128x16";
      bm = 128;
      bn = 16;
    } else if (n <= 32) {
      suffix = "_128x32";
      bm = 128;
      bn = 32;
    } else {
      suffix = "_64x64";
      bm = 64;
      bn = 64;
    }
    long tiles = ceilDiv(m, bm) * ceilDiv(n, bn);
    long splits = 1;
    if (tiles < TARGET_BLOCKS && k >= 2 * MIN_SLICE) {
      splits = Math.min(ceilDiv(TARGET_BLOCKS, tiles), k / MIN_SLICE);
    }
    int kPer = (int) (ceilDiv(ceilDiv(k, splits), BK) * BK);
    int s = (int) ceilDiv(k, kPer);
    return new TilePlan(suffix, bm, bn, Math.max(1, s), Math.max(kPer, BK));
  }

  int gridX(int m) {
    return (int) ceilDiv(m, bm);
  }

  int gridY(int n) {
    return (int) ceilDiv(n, bn);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
