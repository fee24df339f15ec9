// SGEMM, row-major: C [M, N] = alpha·op(A)·op(B) + beta·C, op(A) [M, K] (A stored [K, M] when
// transA), op(B) [K, N] (B stored [N, K] when transB); Backend.gemm. Used when cuBLAS is not
// available (CUDA 13 machines have no libcublas.so.12), and always for the convolutions.
#include "gemm_tile.cuh"

// A element (m, k) at a[m·sm + k·sk].
struct Cs4jStridedA {
  const float* a;
  int sm, sk;
  bool kFast;
  __device__ float operator()(int m, int k) const { return a[m * sm + k * sk]; }
};

// B element (k, n) at b[k·sk + n·sn].
struct Cs4jStridedB {
  const float* b;
  int sk, sn;
  bool nFast;
  __device__ float operator()(int k, int n) const { return b[k * sk + n * sn]; }
};

CS4J_TILE_VARIANTS(
    cs4j_sgemm,
    (int transA, int transB, int m, int n, int k, float alpha, const float* __restrict__ a,
     const float* __restrict__ b, float beta, float* __restrict__ c, int kPer,
     float* __restrict__ ws),
    {
      Cs4jStridedA opA{a, transA ? 1 : k, transA ? m : 1, !transA};
      Cs4jStridedB opB{b, transB ? 1 : n, transB ? k : 1, !transB};
      cs4j_gemm_tile<BM, BN, TM, TN>(opA, opB, Cs4jRowMajor{c, n}, m, n, k, kPer, alpha, beta,
                                     ws);
    })

// C[i] = alpha·Σ_z ws[z·total + i] + beta·C[i] (C not read when beta == 0): the second pass of a
// split-K product, adding the slices in ascending z.
extern "C" __global__ void cs4j_splitk_reduce(const float* __restrict__ ws, int splits, int total,
                                              float alpha, float beta, float* __restrict__ c) {
  for (int i = cs4j_gid(); i < total; i += cs4j_gstride()) {
    float acc = 0.f;
    for (int z = 0; z < splits; z++) {
      acc += ws[(long long)z * total + i];
    }
    c[i] = beta == 0.f ? alpha * acc : alpha * acc + beta * c[i];
  }
}
