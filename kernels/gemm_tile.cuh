// The tiled SGEMM core shared by gemm.cu and conv.cu (convolutions are implicit GEMMs: their
// operands are gathered from the tensors on the fly, with no im2col buffer).
//
// One block computes a BM × BN tile of C = A·B (A is M × Kr, B is Kr × N) with 256 threads, each
// holding a TM × TN register tile: rows ty + i·(BM/TM), columns tx·TN + j. Consecutive threads
// take consecutive rows, so stores along M (the pixel dimension of the convolutions) coalesce.
// The reduction runs in BK = 16 slices staged through shared memory (padded by one column so the
// transposing stores do not collide in a bank).
//
// Operands are functors: a(m, k) and b(k, n) return the element or 0 outside; a.kFast (b.nFast)
// says which index is contiguous in memory, and the staging loads follow it so that a warp reads
// consecutive addresses. The store functor maps (m, n) to the flat index of C.
//
// Split-K: blockIdx.z takes reduction indices [z·kPer, (z + 1)·kPer). With ws == nullptr the block
// writes C[idx] = alpha·acc + beta·C[idx] (C not read when beta == 0, as CpuGemm); otherwise it
// writes ws[z·total + idx] = acc and cs4j_splitk_reduce adds the slices in order: no atomics.
#pragma once
#include "common.cuh"

#define CS4J_BK 16

template <int BM, int BN, int TM, int TN, class OpA, class OpB, class OpC>
__device__ __forceinline__ void cs4j_gemm_tile(const OpA& a, const OpB& b, const OpC& st, int M,
                                               int N, int K, int kPer, float alpha, float beta,
                                               float* __restrict__ ws) {
  constexpr int BK = CS4J_BK;
  constexpr int RY = BM / TM;  // threads along M
  constexpr int THREADS = RY * (BN / TN);
  static_assert(THREADS == CS4J_BLOCK, "tile shape must use 256 threads");
  static_assert((BM * BK) % THREADS == 0 && (BN * BK) % THREADS == 0, "tile loads must divide");
  __shared__ float As[BK][BM + 1];
  __shared__ float Bs[BK][BN + 1];

  int tid = threadIdx.x;
  int ty = tid % RY;
  int tx = tid / RY;
  int m0 = blockIdx.x * BM;
  int n0 = blockIdx.y * BN;
  int kBegin = blockIdx.z * kPer;
  int kEnd = min(K, kBegin + kPer);

  float acc[TM][TN];
#pragma unroll
  for (int i = 0; i < TM; i++) {
#pragma unroll
    for (int j = 0; j < TN; j++) {
      acc[i][j] = 0.f;
    }
  }

  for (int k0 = kBegin; k0 < kEnd; k0 += BK) {
#pragma unroll
    for (int l = 0; l < BM * BK / THREADS; l++) {
      int e = tid + l * THREADS;
      int mm = a.kFast ? e / BK : e % BM;
      int kk = a.kFast ? e % BK : e / BM;
      int gm = m0 + mm;
      int gk = k0 + kk;
      As[kk][mm] = (gm < M && gk < kEnd) ? a(gm, gk) : 0.f;
    }
#pragma unroll
    for (int l = 0; l < BN * BK / THREADS; l++) {
      int e = tid + l * THREADS;
      int nn = b.nFast ? e % BN : e / BK;
      int kk = b.nFast ? e / BN : e % BK;
      int gn = n0 + nn;
      int gk = k0 + kk;
      Bs[kk][nn] = (gn < N && gk < kEnd) ? b(gk, gn) : 0.f;
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < BK; kk++) {
      float ra[TM];
      float rb[TN];
#pragma unroll
      for (int i = 0; i < TM; i++) {
        ra[i] = As[kk][ty + i * RY];
      }
#pragma unroll
      for (int j = 0; j < TN; j++) {
        rb[j] = Bs[kk][tx * TN + j];
      }
#pragma unroll
      for (int i = 0; i < TM; i++) {
#pragma unroll
        for (int j = 0; j < TN; j++) {
          acc[i][j] += ra[i] * rb[j];
        }
      }
    }
    __syncthreads();
  }

  long long total = (long long)M * N;
#pragma unroll
  for (int i = 0; i < TM; i++) {
    int gm = m0 + ty + i * RY;
#pragma unroll
    for (int j = 0; j < TN; j++) {
      int gn = n0 + tx * TN + j;
      if (gm < M && gn < N) {
        int idx = st.index(gm, gn);
        if (ws != nullptr) {
          ws[blockIdx.z * total + idx] = acc[i][j];
        } else {
          float* c = st.c;
          c[idx] = beta == 0.f ? alpha * acc[i][j] : alpha * acc[i][j] + beta * c[idx];
        }
      }
    }
  }
}

// C in row-major [M, N]: idx = m·N + n.
struct Cs4jRowMajor {
  float* c;
  int n;
  __device__ int index(int m, int col) const { return m * n + col; }
};

// Declares the three tile shapes of one GEMM-like kernel family:
//   _64x64 (TM = TN = 4) for wide outputs, _128x32 (4 × 4) and _128x16 (4 × 2) for outputs with
//   few columns (the channel counts 16 and 32 of CIFAR ResNets), chosen by the host from N.
// The body is the variadic tail, so it may contain commas.
#define CS4J_TILE_VARIANTS(NAME, PARAMS, ...) \
  extern "C" __global__ void __launch_bounds__(CS4J_BLOCK) NAME##_64x64 PARAMS {     \
    constexpr int BM = 64, BN = 64, TM = 4, TN = 4;                                  \
    __VA_ARGS__                                                                      \
  }                                                                                  \
  extern "C" __global__ void __launch_bounds__(CS4J_BLOCK) NAME##_128x32 PARAMS {    \
    constexpr int BM = 128, BN = 32, TM = 4, TN = 4;                                 \
    __VA_ARGS__                                                                      \
  }                                                                                  \
  extern "C" __global__ void __launch_bounds__(CS4J_BLOCK) NAME##_128x16 PARAMS {    \
    constexpr int BM = 128, BN = 16, TM = 4, TN = 2;                                 \
    __VA_ARGS__                                                                      \
  }
