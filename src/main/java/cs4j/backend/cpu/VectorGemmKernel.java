package cs4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
    if (rows == MR && cols == NR && alpha == 1f && beta == 0f) {
      // the common case in convolution: a full tile overwriting C
      c00.intoArray(c, cOff);
      c01.intoArray(c, cOff + L);
      c10.intoArray(c, cOff + ldc);
      c11.intoArray(c, cOff + ldc + L);
      c20.intoArray(c, cOff + 2 * ldc);
      c21.intoArray(c, cOff + 2 * ldc + L);
      c30.intoArray(c, cOff + 3 * ldc);
      c31.intoArray(c, cOff + 3 * ldc + L);
      c40.intoArray(c, cOff + 4 * ldc);
      c41.intoArray(c, cOff + 4 * ldc + L);
      c50.intoArray(c, cOff + 5 * ldc);
      c51.intoArray(c, cOff + 5 * ldc + L);
      c60.intoArray(c, cOff + 6 * ldc);
      c61.intoArray(c, cOff + 6 * ldc + L);
      c70.intoArray(c, cOff + 7 * ldc);
      c71.intoArray(c, cOff + 7 * ldc + L);
      return;
    }
    // NOTE: otherwise the accumulators leave registers through a small per-thread buffer. Passing
    // them to a
    // helper method would box them (C2 does not inline a cold call site), and masked stores for
    // partial tiles are not intrinsified by JDK 17; both cost more than the whole tile.
    float[] t = ThreadScratch.get(ThreadScratch.Slot.KERNEL_TILE, MR * NR);
    c00.intoArray(t, 0);
    c01.intoArray(t, L);
    c10.intoArray(t, NR);
    c11.intoArray(t, NR + L);
    c20.intoArray(t, 2 * NR);
    c21.intoArray(t, 2 * NR + L);
    c30.intoArray(t, 3 * NR);
    c31.intoArray(t, 3 * NR + L);
    c40.intoArray(t, 4 * NR);
    c41.intoArray(t, 4 * NR + L);
    c50.intoArray(t, 5 * NR);
    c51.intoArray(t, 5 * NR + L);
    c60.intoArray(t, 6 * NR);
    c61.intoArray(t, 6 * NR + L);
    c70.intoArray(t, 7 * NR);
    c71.intoArray(t, 7 * NR + L);
    FloatVector va = FloatVector.broadcast(SPECIES, alpha);
    FloatVector vb = FloatVector.broadcast(SPECIES, beta);
    for (int i = 0; i < rows; i++) {
      int row = cOff + i * ldc;
      if (cols == NR) {
        for (int j = 0; j < NR; j += L) {
          FloatVector r = FloatVector.fromArray(SPECIES, t, i * NR + j).mul(va);
          if (beta != 0f) {
            r = FloatVector.fromArray(SPECIES, c, row + j).fma(vb, r);
          }
          r.intoArray(c, row + j);
        }
      } else {
        for (int j = 0; j < cols; j++) {
          float r = alpha * t[i * NR + j];
          c[row + j] = beta == 0f ? r : r + beta * c[row + j];
        }
      }
    }
  }

  @Override
  public void gatherTile(
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
      boolean accumulate) {
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
    for (int p = 0; p < depth; p++) {
      int bi = rowStarts[row0 + p] + col;
      int ai = aOff + p * MR;
      FloatVector b0 = FloatVector.fromArray(SPECIES, src, bi);
      FloatVector b1 = FloatVector.fromArray(SPECIES, src, bi + L);
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
    boolean full = rows == MR && cols == NR;
    if (full && accumulate) {
      c00.add(FloatVector.fromArray(SPECIES, c, cOff)).intoArray(c, cOff);
      c01.add(FloatVector.fromArray(SPECIES, c, cOff + L)).intoArray(c, cOff + L);
      c10.add(FloatVector.fromArray(SPECIES, c, cOff + ldc)).intoArray(c, cOff + ldc);
      c11.add(FloatVector.fromArray(SPECIES, c, cOff + ldc + L)).intoArray(c, cOff + ldc + L);
      c20.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
      c21.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc + L))
          .intoArray(c, cOff + 2 * ldc + L);
      c30.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
      c31.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc + L))
          .intoArray(c, cOff + 3 * ldc + L);
      c40.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
      c41.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc + L))
          .intoArray(c, cOff + 4 * ldc + L);
      c50.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
      c51.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc + L))
          .intoArray(c, cOff + 5 * ldc + L);
      c60.add(FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
      c61.add(FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc + L))
          .intoArray(c, cOff + 6 * ldc + L);
      c70.add(FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
      c71.add(FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc + L))
          .intoArray(c, cOff + 7 * ldc + L);
      return;
    }
    // a full tile is stored in place; a partial one through a small per-thread buffer (see tile)
    float[] t = full ? c : ThreadScratch.get(ThreadScratch.Slot.KERNEL_TILE, MR * NR);
    int o = full ? cOff : 0;
    int ld = full ? ldc : NR;
    c00.intoArray(t, o);
    c01.intoArray(t, o + L);
    c10.intoArray(t, o + ld);
    c11.intoArray(t, o + ld + L);
    c20.intoArray(t, o + 2 * ld);
    c21.intoArray(t, o + 2 * ld + L);
    c30.intoArray(t, o + 3 * ld);
    c31.intoArray(t, o + 3 * ld + L);
    c40.intoArray(t, o + 4 * ld);
    c41.intoArray(t, o + 4 * ld + L);
    c50.intoArray(t, o + 5 * ld);
    c51.intoArray(t, o + 5 * ld + L);
    c60.intoArray(t, o + 6 * ld);
    c61.intoArray(t, o + 6 * ld + L);
    c70.intoArray(t, o + 7 * ld);
    c71.intoArray(t, o + 7 * ld + L);
    if (!full) {
      for (int i = 0; i < rows; i++) {
        int row = cOff + i * ldc;
        if (!accumulate) {
          System.arraycopy(t, i * NR, c, row, cols);
          continue;
        }
        for (int j = 0; j < cols; j++) {
          c[row + j] += t[i * NR + j];
        }
      }
    }
  }

  @Override
  public void gatherPackTile(
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
      boolean accumulate) {
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
    int x0 = xOff + rows[row0 + 0];
    int x1 = xOff + rows[row0 + 1];
    int x2 = xOff + rows[row0 + 2];
    int x3 = xOff + rows[row0 + 3];
    int x4 = xOff + rows[row0 + 4];
    int x5 = xOff + rows[row0 + 5];
    int x6 = xOff + rows[row0 + 6];
    int x7 = xOff + rows[row0 + 7];
    for (int t = from, ai = aOff; t < to; t++, ai += MR) {
      int o = xSteps[t];
      int bi = rowStarts[t] + col;
      FloatVector b0 = FloatVector.fromArray(SPECIES, src, bi);
      FloatVector b1 = FloatVector.fromArray(SPECIES, src, bi + L);
      float v0 = x[x0 + o];
      ap[ai] = v0;
      FloatVector a = FloatVector.broadcast(SPECIES, v0);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      float v1 = x[x1 + o];
      ap[ai + 1] = v1;
      a = FloatVector.broadcast(SPECIES, v1);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      float v2 = x[x2 + o];
      ap[ai + 2] = v2;
      a = FloatVector.broadcast(SPECIES, v2);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      float v3 = x[x3 + o];
      ap[ai + 3] = v3;
      a = FloatVector.broadcast(SPECIES, v3);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      float v4 = x[x4 + o];
      ap[ai + 4] = v4;
      a = FloatVector.broadcast(SPECIES, v4);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      float v5 = x[x5 + o];
      ap[ai + 5] = v5;
      a = FloatVector.broadcast(SPECIES, v5);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      float v6 = x[x6 + o];
      ap[ai + 6] = v6;
      a = FloatVector.broadcast(SPECIES, v6);
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      float v7 = x[x7 + o];
      ap[ai + 7] = v7;
      a = FloatVector.broadcast(SPECIES, v7);
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
    }
    if (accumulate) {
      c00.add(FloatVector.fromArray(SPECIES, c, cOff)).intoArray(c, cOff);
      c01.add(FloatVector.fromArray(SPECIES, c, cOff + L)).intoArray(c, cOff + L);
      c10.add(FloatVector.fromArray(SPECIES, c, cOff + ldc)).intoArray(c, cOff + ldc);
      c11.add(FloatVector.fromArray(SPECIES, c, cOff + ldc + L)).intoArray(c, cOff + ldc + L);
      c20.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
      c21.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc + L))
          .intoArray(c, cOff + 2 * ldc + L);
      c30.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
      c31.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc + L))
          .intoArray(c, cOff + 3 * ldc + L);
      c40.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
      c41.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc + L))
          .intoArray(c, cOff + 4 * ldc + L);
      c50.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
      c51.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc + L))
          .intoArray(c, cOff + 5 * ldc + L);
      c60.add(FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
      c61.add(FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc + L))
          .intoArray(c, cOff + 6 * ldc + L);
      c70.add(FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
      c71.add(FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc + L))
          .intoArray(c, cOff + 7 * ldc + L);
      return;
    }
    c00.intoArray(c, cOff);
    c01.intoArray(c, cOff + L);
    c10.intoArray(c, cOff + ldc);
    c11.intoArray(c, cOff + ldc + L);
    c20.intoArray(c, cOff + 2 * ldc);
    c21.intoArray(c, cOff + 2 * ldc + L);
    c30.intoArray(c, cOff + 3 * ldc);
    c31.intoArray(c, cOff + 3 * ldc + L);
    c40.intoArray(c, cOff + 4 * ldc);
    c41.intoArray(c, cOff + 4 * ldc + L);
    c50.intoArray(c, cOff + 5 * ldc);
    c51.intoArray(c, cOff + 5 * ldc + L);
    c60.intoArray(c, cOff + 6 * ldc);
    c61.intoArray(c, cOff + 6 * ldc + L);
    c70.intoArray(c, cOff + 7 * ldc);
    c71.intoArray(c, cOff + 7 * ldc + L);
  }

  @Override
  public int lanes() {
    return L;
  }

  @Override
  public void dotTile(
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
      int accOff) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = FloatVector.zero(SPECIES);
    FloatVector s02 = FloatVector.zero(SPECIES);
    FloatVector s03 = FloatVector.zero(SPECIES);
    FloatVector s10 = FloatVector.zero(SPECIES);
    FloatVector s11 = FloatVector.zero(SPECIES);
    FloatVector s12 = FloatVector.zero(SPECIES);
    FloatVector s13 = FloatVector.zero(SPECIES);
    FloatVector s20 = FloatVector.zero(SPECIES);
    FloatVector s21 = FloatVector.zero(SPECIES);
    FloatVector s22 = FloatVector.zero(SPECIES);
    FloatVector s23 = FloatVector.zero(SPECIES);
    FloatVector s30 = FloatVector.zero(SPECIES);
    FloatVector s31 = FloatVector.zero(SPECIES);
    FloatVector s32 = FloatVector.zero(SPECIES);
    FloatVector s33 = FloatVector.zero(SPECIES);
    // NOTE: one flat loop over (image, p). With a nested image loop JDK 17's C2 boxed the
    // accumulators and this ran 30x slower (measured).
    int a0 = aOff;
    int b0 = bRows[bRow0];
    int b1 = bRows[bRow0 + 1];
    int b2 = bRows[bRow0 + 2];
    int b3 = bRows[bRow0 + 3];
    for (int step = 0, p = 0, steps = images * (len / L); step < steps; step++) {
      FloatVector va0 = FloatVector.fromArray(SPECIES, a, a0 + p);
      FloatVector va1 = FloatVector.fromArray(SPECIES, a, a0 + lda + p);
      FloatVector va2 = FloatVector.fromArray(SPECIES, a, a0 + 2 * lda + p);
      FloatVector va3 = FloatVector.fromArray(SPECIES, a, a0 + 3 * lda + p);
      FloatVector vb0 = FloatVector.fromArray(SPECIES, b, b0 + p);
      FloatVector vb1 = FloatVector.fromArray(SPECIES, b, b1 + p);
      FloatVector vb2 = FloatVector.fromArray(SPECIES, b, b2 + p);
      FloatVector vb3 = FloatVector.fromArray(SPECIES, b, b3 + p);
      s00 = va0.fma(vb0, s00);
      s01 = va0.fma(vb1, s01);
      s02 = va0.fma(vb2, s02);
      s03 = va0.fma(vb3, s03);
      s10 = va1.fma(vb0, s10);
      s11 = va1.fma(vb1, s11);
      s12 = va1.fma(vb2, s12);
      s13 = va1.fma(vb3, s13);
      s20 = va2.fma(vb0, s20);
      s21 = va2.fma(vb1, s21);
      s22 = va2.fma(vb2, s22);
      s23 = va2.fma(vb3, s23);
      s30 = va3.fma(vb0, s30);
      s31 = va3.fma(vb1, s31);
      s32 = va3.fma(vb2, s32);
      s33 = va3.fma(vb3, s33);
      p += L;
      if (p == len) {
        p = 0;
        a0 += aImageStride;
        b0 += bImageStride;
        b1 += bImageStride;
        b2 += bImageStride;
        b3 += bImageStride;
      }
    }
    // reduceLanes(ADD) adds the lanes in order (C2's x86 code and the Java fallback alike)
    acc[accOff + 0] += s00.reduceLanes(VectorOperators.ADD);
    acc[accOff + 1] += s01.reduceLanes(VectorOperators.ADD);
    acc[accOff + 2] += s02.reduceLanes(VectorOperators.ADD);
    acc[accOff + 3] += s03.reduceLanes(VectorOperators.ADD);
    acc[accOff + 4] += s10.reduceLanes(VectorOperators.ADD);
    acc[accOff + 5] += s11.reduceLanes(VectorOperators.ADD);
    acc[accOff + 6] += s12.reduceLanes(VectorOperators.ADD);
    acc[accOff + 7] += s13.reduceLanes(VectorOperators.ADD);
    acc[accOff + 8] += s20.reduceLanes(VectorOperators.ADD);
    acc[accOff + 9] += s21.reduceLanes(VectorOperators.ADD);
    acc[accOff + 10] += s22.reduceLanes(VectorOperators.ADD);
    acc[accOff + 11] += s23.reduceLanes(VectorOperators.ADD);
    acc[accOff + 12] += s30.reduceLanes(VectorOperators.ADD);
    acc[accOff + 13] += s31.reduceLanes(VectorOperators.ADD);
    acc[accOff + 14] += s32.reduceLanes(VectorOperators.ADD);
    acc[accOff + 15] += s33.reduceLanes(VectorOperators.ADD);
  }
}
