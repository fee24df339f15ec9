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
   * the contiguous run {@code src[rowStarts[row0 + p] + col ..]}. A convolution along the output
   * grid reads its im2col rows so straight from the padded image ({@link StridePhases}); one along
   * output channels reads rows of transposed weights or of transposed dY, only those whose products
   * do not fall on padding ({@link ChannelVectorForward}, {@link ChannelVectorGradient}).
   *
   * <pre>
   *   C[i, j] (+)= Σ_p Ap[aOff + p·mr + i] · src[rowStarts[row0 + p] + col + j]     (p &lt; depth, i &lt; rows, j &lt; cols)
   * </pre>
   *
   * summed in order of p in one chain per element (no depth blocks), then stored into C, or added
   * to it once when {@code accumulate}. {@code src} must hold nr() readable floats from every
   * {@code rowStarts[row0 + p] + col}, even when cols &lt; nr(); A is one panel of all {@code
   * depth} steps, zero-padded past rows.
   */
  void gatherTile(
      int depth,
      float[] ap,
      int aOff,
      float[] src,
      int[] rowStarts,
      int row0,
      int col,
      float[] c,
      int cOff,
      int ldc,
      int rows,
      int cols,
      boolean accumulate);

  /**
   * {@link #gatherTile} for a full tile (mr() rows, nr() columns) whose A values are gathered from
   * x by offsets as it goes, and recorded into the A panel that {@link #gatherTile} reads for the
   * tile's other column blocks:
   *
   * <pre>
   *   Ap[aOff + (t − from)·mr + i] = x[xOff + rows[row0 + i] + xSteps[t]]
   *   C[i, j] (+)= Σ_{from ≤ t &lt; to} Ap[aOff + (t − from)·mr + i] · src[rowStarts[t] + col + j]
   * </pre>
   *
   * The small-map convolutions gather so, from the unpadded input, the im2col values of a tile's
   * rows (pixels, or channels of one tap) over the steps that lie inside the image. (Gathering
   * every column block costs a bounds check per row and step, 75 % of the FMA peak in L1 against 98
   * % from a panel; packing the panel in a pass of its own cost 64-channel layers 20–30 %.)
   */
  void gatherPackTile(
      int from,
      int to,
      float[] x,
      int xOff,
      int[] rows,
      int row0,
      int[] xSteps,
      float[] ap,
      int aOff,
      float[] src,
      int[] rowStarts,
      int col,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate);

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

  /**
   * Floats (one cache line) added to the row stride of the small-map convolutions' [rows, channels]
   * outputs: with 512 channels their rows are 2 KiB apart, a power of two, so the rows that a
   * transpose reads together shared two L1 sets and missed every time (the transpose of a 512 ×
   * 4608 weight gradient took 22 % of a VGG-16 step).
   */
  int ACC_ROW_SKEW = 16;
}
