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
 * rows/cols. When beta is 0, C is not read (it may hold NaN). Each C element is a sequential sum
 * over p, whatever its position in the tile, so results do not depend on how C was tiled.
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
}
