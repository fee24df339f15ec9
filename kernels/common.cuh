// Shared helpers for cs4j's kernels.
//
// Conventions every kernel file follows:
// - entry points are extern "C", so the PTX symbol is the name the Java launcher asks for;
// - float32 NCHW tensors, element counts are int (the Java side refuses n >= 2^31 - 2^24);
// - reductions never use atomics: each block writes a partial, and one block (or one thread per
//   channel) adds the partials in a fixed order, so results are bit-identical run to run;
// - blocks are CS4J_BLOCK threads (a power of two: the tree reductions rely on it);
// - no warp shuffles or warp-synchronous tricks, so the kernels also run under the host emulator
//   in kernels/emu/ (each thread a std::thread, __syncthreads a barrier).
#pragma once

#ifdef CS4J_EMU
#include "emu/emu.h"
#endif

#define CS4J_BLOCK 256

// Thread index and stride of a 1-D grid-stride loop.
__device__ __forceinline__ int cs4j_gid() { return blockIdx.x * blockDim.x + threadIdx.x; }
__device__ __forceinline__ int cs4j_gstride() { return gridDim.x * blockDim.x; }

// True when p may be read as float4 (16-byte aligned). Device buffers come from cuMemAlloc
// (256-byte aligned) at offset 0, so this holds in practice; the scalar path covers the rest.
__device__ __forceinline__ bool cs4j_aligned16(const void* p) {
  return (reinterpret_cast<unsigned long long>(p) & 15ull) == 0ull;
}

// σ(x) without overflow for either sign, with accurate expf (no fast-math): the same branches as
// CpuBackend.sigmoid, so results agree within an ulp or two.
__device__ __forceinline__ float cs4j_sigmoid(float x) {
  if (x >= 0.f) {
    return 1.f / (1.f + expf(-x));
  }
  float e = expf(x);
  return e / (1.f + e);
}

// Sum of v over the block, in a fixed tree order; every thread gets the result. buf holds
// blockDim.x doubles in shared memory. All threads of the block must call it.
__device__ __forceinline__ double cs4j_block_sum(double v, double* buf) {
  int t = threadIdx.x;
  buf[t] = v;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (t < s) {
      buf[t] += buf[t + s];
    }
    __syncthreads();
  }
  double r = buf[0];
  __syncthreads();
  return r;
}
