package cs4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM tile with explicit SIMD registers (jdk.incubator.vector): an 8 × 2L tile of C, L being
 * the preferred float lane count (16 with AVX-512), is held in 16 vector accumulators; per p it
 * loads two B vectors and broadcasts eight A values into 16 fused multiply-adds.
 *
 * <p>NOTE: only loaded reflectively by {@link CpuGemm} when the JVM was started with {@code
 * --add-modules jdk.incubator.vector}; no other class may name it.
 */
final class VectorGemmKernel implements GemmKernel {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int L = SPECIES.length();
  private static final int MR = 8;
  private static final int NR = 2 * L;

  @Override
  public int mr() {
    return MR;
  }

  @Override
  public int nr() {
    return NR;
  }

  @Override
  public String name() {
    return "vector " + MR + "x" + NR + " (" + SPECIES + ")";
  }

  @Override
  public void tile(
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
      int cols) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    FloatVector c60 = c00;
    FloatVector c61 = c00;
    FloatVector c70 = c00;
    FloatVector c71 = c00;
    for (int p = 0; p < kc; p++) {
      int bi = bOff + p * NR;
      int ai = aOff + p * MR;
      FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + L);
      FloatVector a = FloatVector.broadcast(SPECIES, ap[ai]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(SPECIES, ap[ai + 1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(SPECIES, ap[ai + 2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(SPECIES, ap[ai + 3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(SPECIES, ap[ai + 4]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(SPECIES, ap[ai + 5]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      a = FloatVector.broadcast(SPECIES, ap[ai + 6]);
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      a = FloatVector.broadcast(SPECIES, ap[ai + 7]);
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
    }
    store(c00, c01, alpha, beta, c, cOff, cols);
    if (rows > 1) {
      store(c10, c11, alpha, beta, c, cOff + ldc, cols);
    }
    if (rows > 2) {
      store(c20, c21, alpha, beta, c, cOff + 2 * ldc, cols);
    }
    if (rows > 3) {
      store(c30, c31, alpha, beta, c, cOff + 3 * ldc, cols);
    }
    if (rows > 4) {
      store(c40, c41, alpha, beta, c, cOff + 4 * ldc, cols);
    }
    if (rows > 5) {
      store(c50, c51, alpha, beta, c, cOff + 5 * ldc, cols);
    }
    if (rows > 6) {
      store(c60, c61, alpha, beta, c, cOff + 6 * ldc, cols);
    }
    if (rows > 7) {
      store(c70, c71, alpha, beta, c, cOff + 7 * ldc, cols);
    }
  }

  /** One row of the tile: c[off + j] = alpha·acc[j] + beta·c[off + j] for j < cols. */
  private static void store(
      FloatVector lo, FloatVector hi, float alpha, float beta, float[] c, int off, int cols) {
    if (cols == NR) {
      store(lo, alpha, beta, c, off, SPECIES.maskAll(true));
      store(hi, alpha, beta, c, off + L, SPECIES.maskAll(true));
    } else {
      store(lo, alpha, beta, c, off, SPECIES.indexInRange(0, cols));
      if (cols > L) {
        store(hi, alpha, beta, c, off + L, SPECIES.indexInRange(L, cols));
      }
    }
  }

  private static void store(
      FloatVector acc, float alpha, float beta, float[] c, int off, VectorMask<Float> lanes) {
    FloatVector r = acc.mul(alpha);
    if (beta != 0f) {
      FloatVector old = FloatVector.fromArray(SPECIES, c, off, lanes);
      r = old.fma(FloatVector.broadcast(SPECIES, beta), r);
    }
    r.intoArray(c, off, lanes);
  }
}
