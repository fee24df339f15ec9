package cs4j.backend.cpu;

/**
 * The register-blocked core of GEMM. One call produces one tile of C, {@code rows ≤ mr()} by {@code
 * cols ≤ nr()}, from packed panels:
 *
 * <pre>
 *   C[i, j] = alpha · Σ_p Ap[p·mr + i] · Bp[p·nr + j] + beta · C[i, j]     (p &lt; kc)
 * </pre>
 *
 * where Ap is an A micro-panel [kc, mr] and Bp a B micro-panel [kc, nr], both zero-padded past
 * rows/cols. When beta is 0, C is not read (it may hold NaN). Each C element is computed by the
 * same sequence of operations whatever its position in the tile, so results do not depend on how C
 * was tiled.
 */
interface GemmKernel {
  /** Rows of C per tile (the A panel width). */
  int mr();

  /** Columns of C per tile (the B panel width). */
  int nr();

  /** A short name for logs and benchmark reports. */
  String name();

  void tile(
      int kc,
      float[] ap,
      int aOff,
      float[] bp,
      int bOff,
      float alpha,
      float beta,
      float[] c,
      int cOff,
      int ldc,
      int rows,
      int cols);

  /**
   * One tile of C from an A panel and B rows gathered in place, with no packed B panel: B row p is
   * the contiguous run {@code src[rows[p] + col ..]}, so a convolution reads its im2col columns
   * straight from the padded image ({@link StridePhases}). Overwrites C:
   *
   * <pre>
   *   C[i, j] = Σ_p Ap[aOff + p·mr + i] · src[rowStarts[p] + col + j]     (p &lt; depth, i &lt; rows, j &lt; cols)
   * </pre>
   *
   * summed in order of p in one chain per element (no depth blocks). {@code src} must hold nr()
   * readable floats from every {@code rowStarts[p] + col}, even when cols &lt; nr(); A is one panel
   * of all {@code depth} steps, zero-padded past rows.
   */
  void gatherTile(
      int depth,
      float[] ap,
      int aOff,
      float[] src,
      int[] rowStarts,
      int col,
      float[] c,
      int cOff,
      int ldc,
      int rows,
      int cols);

  /** Rows of A and of B in one {@link #dotTile}. */
  int DOT_TILE = 4;

  /** The vector length of {@link #dotTile}: its {@code len} must be a multiple of this. */
  int lanes();

  /**
   * Dot products of depth-contiguous rows (C += A·Bᵀ with A [4, len], B [4, len]), summed over
   * several images, for the weight gradient where both factors run along pixels:
   *
   * <pre>
   *   acc[accOff + i·4 + j] +=
   *       Σ_{m &lt; images} Σ_{p &lt; len} a[aOff + m·aImageStride + i·lda + p] · b[bRows[bRow0 + j] + m·bImageStride + p]
   * </pre>
   *
   * for i, j &lt; 4; {@code len} is a multiple of lanes(). The order of the additions inside one
   * call is fixed by the kernel (it depends on nothing but the arguments).
   */
  void dotTile(
      int len,
      int images,
      float[] a,
      int aOff,
      int lda,
      int aImageStride,
      float[] b,
      int[] bRows,
      int bRow0,
      int bImageStride,
      float[] acc,
      int accOff);

  /** Rows of one {@link #channelTile}. */
  int CHANNEL_ROWS = 8;

  /**
   * Floats (one cache line) added to the row stride of a {@link #channelTile} accumulator: with 512
   * channels its rows are 2 KiB apart, a power of two, so the rows that a transpose reads together
   * shared two L1 sets and missed every time (the transpose of a 512 × 4608 weight gradient took 22
   * % of a VGG-16 step).
   */
  int ACC_ROW_SKEW = 16;

  /** Columns of one {@link #channelTile} (output channels): a multiple of lanes(). */
  int channelWidth();

  /**
   * A tile of C vectorised along its columns, with A gathered by broadcasts: for rows i &lt; {@link
   * #CHANNEL_ROWS} and columns j &lt; channelWidth(),
   *
   * <pre>
   *   acc[accOff + i·ldAcc + j] +=
   *       Σ_{from ≤ t &lt; to} x[xOff + rows[row0 + i] + xSteps[t]] · b[bOff + bSteps[t] + j]
   * </pre>
   *
   * each sum in order of t, started from 0 in registers and added to acc once. The small-map
   * convolutions use it along output channels, with x the unpadded input and only the steps whose
   * im2col value lies inside it ({@link InsideTaps}): in the forward pass ({@link
   * ChannelVectorForward}) the rows are (image, pixel) pairs of one class of pixels and the steps
   * that class's weight taps, b = the weights transposed; in the weight gradient ({@link
   * ChannelVectorGradient}) the rows are 8 channels of one tap (r, s) and the steps the (image,
   * pixel) pairs where that tap reads inside, b = dY transposed.
   */
  void channelTile(
      int from,
      int to,
      float[] x,
      int xOff,
      int[] rows,
      int row0,
      int[] xSteps,
      float[] b,
      int bOff,
      int[] bSteps,
      float[] acc,
      int accOff,
      int ldAcc);
}
