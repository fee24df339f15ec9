// Deterministic reductions (Backend.sum, biasGrad, and the second pass of every sum elsewhere).
// Partial-sum kernels (here and in mask.cu) take their partials buffer as the last argument.
// pass one writes one double partial per block; pass two, one block, adds the partials in a fixed
// order. The grid size of pass one is chosen on the host from n alone (CudaLaunch.reduceGrid), so
// the result does not depend on the device either.
#include "common.cuh"

// partials[block] = Σ of this block's grid-stride share of x (double accumulation).
extern "C" __global__ void __launch_bounds__(CS4J_BLOCK)
    cs4j_sum_partial(const float* __restrict__ x, int n, double* __restrict__ partials) {
  __shared__ double buf[CS4J_BLOCK];
  int gid = cs4j_gid();
  int stride = cs4j_gstride();
  int n4 = cs4j_aligned16(x) ? n / 4 : 0;
  double acc = 0.0;
  for (int i = gid; i < n4; i += stride) {
    float4 v = reinterpret_cast<const float4*>(x)[i];
    acc += v.x;
    acc += v.y;
    acc += v.z;
    acc += v.w;
  }
  for (int i = n4 * 4 + gid; i < n; i += stride) {
    acc += x[i];
  }
  double total = cs4j_block_sum(acc, buf);
  if (threadIdx.x == 0) {
    partials[blockIdx.x] = total;
  }
}

// out[0] = (float) (scale · Σ partials[0..count)); launch with one block.
extern "C" __global__ void __launch_bounds__(CS4J_BLOCK)
    cs4j_sum_finish(const double* __restrict__ partials, int count, double scale,
                    float* __restrict__ out) {
  __shared__ double buf[CS4J_BLOCK];
  double acc = 0.0;
  for (int i = threadIdx.x; i < count; i += blockDim.x) {
    acc += partials[i];
  }
  double total = cs4j_block_sum(acc, buf);
  if (threadIdx.x == 0) {
    out[0] = (float)(scale * total);
  }
}

// dBias[c] = Σ over outer and inner of dY[outer, c, inner]; one block per channel.
extern "C" __global__ void __launch_bounds__(CS4J_BLOCK)
    cs4j_bias_grad(const float* __restrict__ dY, int outer, int channels, int inner,
                   float* __restrict__ dBias) {
  __shared__ double buf[CS4J_BLOCK];
  int c = blockIdx.x;
  int m = outer * inner;
  double acc = 0.0;
  for (int j = threadIdx.x; j < m; j += blockDim.x) {
    int o = j / inner;
    int i = j - o * inner;
    acc += dY[(o * channels + c) * inner + i];
  }
  double total = cs4j_block_sum(acc, buf);
  if (threadIdx.x == 0) {
    dBias[c] = (float)total;
  }
}
