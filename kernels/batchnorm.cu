// Batch normalisation over x viewed as [N, C, L] (L = H·W; L = 1 for [N, C] input), mirroring
// CpuBatchNorm's arithmetic (double statistics, the same float roundings).
//
// Statistics are reduced without atomics in two kernels: a (splits × C) grid where block (z, c)
// sums its z-th share of channel c's M = N·L elements into partials[(c·splits + z)·2 + {0, 1}],
// then one thread per channel adds its splits in order. The host picks splits from the shapes
// alone (CudaBatchNorm.splits), so the sums are the same on every device.
//
// The variance is computed from sums shifted by the channel's first element x[0, c, 0]
// (d = x − shift; var = (Σd² − (Σd)²/M)/M): one pass over x, without the cancellation of the
// unshifted formula when |mean| ≫ std.
#include "common.cuh"

// Element j in [0, N·L) of channel c: x[(n·C + c)·L + l] with n = j / L, l = j mod L.
__device__ __forceinline__ int cs4j_bn_index(int j, int c, int channels, int l) {
  int n = j / l;
  return (n * channels + c) * l + (j - n * l);
}

// The range [begin, end) of split z of M elements cut into splits pieces.
__device__ __forceinline__ void cs4j_bn_range(int m, int splits, int z, int& begin, int& end) {
  int chunk = (m + splits - 1) / splits;
  begin = z * chunk;
  end = min(m, begin + chunk);
}

// partials[(c·splits + z)·2 + {0, 1}] = Σ d, Σ d² over split z of channel c, d = x − x[0, c, 0].
extern "C" __global__ void __launch_bounds__(CS4J_BLOCK)
    cs4j_bn_stats_partial(const float* __restrict__ x, int n, int channels, int l, int splits,
                          double* __restrict__ partials) {
  __shared__ double buf[CS4J_BLOCK];
  int z = blockIdx.x;
  int c = blockIdx.y;
  int begin, end;
  cs4j_bn_range(n * l, splits, z, begin, end);
  float shift = x[c * l];
  double s1 = 0.0, s2 = 0.0;
  for (int j = begin + threadIdx.x; j < end; j += blockDim.x) {
    double d = (double)x[cs4j_bn_index(j, c, channels, l)] - (double)shift;
    s1 += d;
    s2 += d * d;
  }
  s1 = cs4j_block_sum(s1, buf);
  s2 = cs4j_block_sum(s2, buf);
  if (threadIdx.x == 0) {
    partials[(c * splits + z) * 2] = s1;
    partials[(c * splits + z) * 2 + 1] = s2;
  }
}

// One thread per channel: mean, biased variance, invStd = 1/√(var + eps); saves mean and invStd,
// updates the running statistics with the unbiased variance, and writes the affine coefficients
// coeff[c] = γ·invStd, coeff[C + c] = β − μ·γ·invStd for cs4j_bn_apply.
extern "C" __global__ void cs4j_bn_stats_finish(
    const float* __restrict__ x, const double* __restrict__ partials, const float* __restrict__ gamma,
    const float* __restrict__ beta, int n, int channels, int l, int splits, float momentum,
    float eps, float* __restrict__ runMean, float* __restrict__ runVar,
    float* __restrict__ saveMean, float* __restrict__ saveInvStd, float* __restrict__ coeff) {
  int c = blockIdx.x * blockDim.x + threadIdx.x;
  if (c >= channels) {
    return;
  }
  double s1 = 0.0, s2 = 0.0;
  for (int z = 0; z < splits; z++) {
    s1 += partials[(c * splits + z) * 2];
    s2 += partials[(c * splits + z) * 2 + 1];
  }
  double m = (double)n * l;
  double meanShifted = s1 / m;
  double mean = (double)x[c * l] + meanShifted;
  double sq = s2 - s1 * meanShifted;  // Σ (x − mean)²
  if (sq < 0.0) {
    sq = 0.0;
  }
  double var = sq / m;
  double invStd = 1.0 / sqrt(var + (double)eps);
  saveMean[c] = (float)mean;
  saveInvStd[c] = (float)invStd;
  coeff[c] = (float)(gamma[c] * invStd);
  coeff[channels + c] = (float)(beta[c] - mean * gamma[c] * invStd);
  double unbiased = m > 1.0 ? sq / (m - 1.0) : var;
  // Same roundings as CpuBatchNorm: (1 − momentum)·r in float, the momentum term in double.
  runMean[c] = (float)((double)((1.f - momentum) * runMean[c]) + (double)momentum * mean);
  runVar[c] = (float)((double)((1.f - momentum) * runVar[c]) + (double)momentum * unbiased);
}

// Eval coefficients from the running statistics: coeff[c] = γ/√(var + eps), coeff[C + c] =
// β − mean·coeff[c] (in double, as CpuBatchNorm.eval).
extern "C" __global__ void cs4j_bn_eval_coeff(const float* __restrict__ gamma,
                                              const float* __restrict__ beta,
                                              const float* __restrict__ runMean,
                                              const float* __restrict__ runVar, int channels,
                                              float eps, float* __restrict__ coeff) {
  int c = blockIdx.x * blockDim.x + threadIdx.x;
  if (c >= channels) {
    return;
  }
  double invStd = 1.0 / sqrt((double)runVar[c] + (double)eps);
  coeff[c] = (float)(gamma[c] * invStd);
  coeff[channels + c] = (float)(beta[c] - runMean[c] * gamma[c] * invStd);
}

// y = x·coeff[c] + coeff[C + c] over total = N·C·L elements.
extern "C" __global__ void cs4j_bn_apply(const float* __restrict__ x,
                                         const float* __restrict__ coeff, int channels, int l,
                                         int total, float* __restrict__ y) {
  for (int i = cs4j_gid(); i < total; i += cs4j_gstride()) {
    int c = (i / l) % channels;
    y[i] = x[i] * coeff[c] + coeff[channels + c];
  }
}

// partials[(c·splits + z)·2 + {0, 1}] = Σ dY, Σ dY·x̂ over split z of channel c.
extern "C" __global__ void __launch_bounds__(CS4J_BLOCK)
    cs4j_bn_bwd_partial(const float* __restrict__ x, const float* __restrict__ dY,
                        const float* __restrict__ saveMean, const float* __restrict__ saveInvStd,
                        int n, int channels, int l, int splits, double* __restrict__ partials) {
  __shared__ double buf[CS4J_BLOCK];
  int z = blockIdx.x;
  int c = blockIdx.y;
  int begin, end;
  cs4j_bn_range(n * l, splits, z, begin, end);
  float mean = saveMean[c];
  float invStd = saveInvStd[c];
  double sDy = 0.0, sDyXhat = 0.0;
  for (int j = begin + threadIdx.x; j < end; j += blockDim.x) {
    int i = cs4j_bn_index(j, c, channels, l);
    float g = dY[i];
    sDy += g;
    sDyXhat += g * ((x[i] - mean) * invStd);
  }
  sDy = cs4j_block_sum(sDy, buf);
  sDyXhat = cs4j_block_sum(sDyXhat, buf);
  if (threadIdx.x == 0) {
    partials[(c * splits + z) * 2] = sDy;
    partials[(c * splits + z) * 2 + 1] = sDyXhat;
  }
}

// One thread per channel: dβ = Σ dY, dγ = Σ dY·x̂.
extern "C" __global__ void cs4j_bn_bwd_finish(const double* __restrict__ partials, int channels,
                                              int splits, float* __restrict__ dGamma,
                                              float* __restrict__ dBeta) {
  int c = blockIdx.x * blockDim.x + threadIdx.x;
  if (c >= channels) {
    return;
  }
  double sDy = 0.0, sDyXhat = 0.0;
  for (int z = 0; z < splits; z++) {
    sDy += partials[(c * splits + z) * 2];
    sDyXhat += partials[(c * splits + z) * 2 + 1];
  }
  dGamma[c] = (float)sDyXhat;
  dBeta[c] = (float)sDy;
}

// dX = γ·invStd/M · (M·dY − dβ − x̂·dγ), in float as CpuBatchNorm.backward.
extern "C" __global__ void cs4j_bn_bwd_apply(
    const float* __restrict__ x, const float* __restrict__ dY, const float* __restrict__ gamma,
    const float* __restrict__ saveMean, const float* __restrict__ saveInvStd,
    const float* __restrict__ dGamma, const float* __restrict__ dBeta, int n, int channels, int l,
    float* __restrict__ dX) {
  int total = n * channels * l;
  float m = (float)(n * l);  // as Java converts the long M to float
  for (int i = cs4j_gid(); i < total; i += cs4j_gstride()) {
    int c = (i / l) % channels;
    float invStd = saveInvStd[c];
    float k = gamma[c] * invStd / m;
    float xhat = (x[i] - saveMean[c]) * invStd;
    dX[i] = k * (m * dY[i] - dBeta[c] - xhat * dGamma[c]);
  }
}
