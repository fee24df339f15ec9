// The fused Continuous Sparsification mask (Savarese et al. 2020; Backend.maskedWeight and
// maskedWeightBackward). With σ = σ(β·s) and m = c·σ:
//   forward:  wEff = w ⊙ m, and per-block partial sums of m (one pass: reads w, s; writes wEff);
//             cs4j_sum_finish (reduce.cu) then writes penalty = λ·Σ partials.
//   backward: dW = g ⊙ c·σ, dS = (g ⊙ w + λ·p) ⊙ c·β·σ(1 − σ) with p = dPenalty[0] read on the
//             device (one pass: reads w, s, g; writes dW, dS; σ recomputed, never stored).
// Memory traffic per element: 12 bytes forward, 20 bytes backward.
#include "common.cuh"

extern "C" __global__ void __launch_bounds__(CS4J_BLOCK)
    cs4j_masked_weight_fwd(const float* __restrict__ w, const float* __restrict__ s, float beta,
                           float c, float* __restrict__ wEff, int n,
                           double* __restrict__ partials) {
  __shared__ double buf[CS4J_BLOCK];
  int gid = cs4j_gid();
  int stride = cs4j_gstride();
  int n4 = (cs4j_aligned16(w) && cs4j_aligned16(s) && cs4j_aligned16(wEff)) ? n / 4 : 0;
  double acc = 0.0;
  for (int i = gid; i < n4; i += stride) {
    float4 wv = reinterpret_cast<const float4*>(w)[i];
    float4 sv = reinterpret_cast<const float4*>(s)[i];
    float4 m = make_float4(c * cs4j_sigmoid(beta * sv.x), c * cs4j_sigmoid(beta * sv.y),
                           c * cs4j_sigmoid(beta * sv.z), c * cs4j_sigmoid(beta * sv.w));
    reinterpret_cast<float4*>(wEff)[i] =
        make_float4(wv.x * m.x, wv.y * m.y, wv.z * m.z, wv.w * m.w);
    acc += m.x;
    acc += m.y;
    acc += m.z;
    acc += m.w;
  }
  for (int i = n4 * 4 + gid; i < n; i += stride) {
    float m = c * cs4j_sigmoid(beta * s[i]);
    wEff[i] = w[i] * m;
    acc += m;
  }
  double total = cs4j_block_sum(acc, buf);
  if (threadIdx.x == 0) {
    partials[blockIdx.x] = total;
  }
}

__device__ __forceinline__ void cs4j_mask_grad(float w, float s, float g, float beta, float c,
                                               float cb, float lp, float& dW, float& dS) {
  float sig = cs4j_sigmoid(beta * s);
  dW = g * c * sig;
  dS = (g * w + lp) * cb * sig * (1.f - sig);
}

extern "C" __global__ void __launch_bounds__(CS4J_BLOCK)
    cs4j_masked_weight_bwd(const float* __restrict__ w, const float* __restrict__ s,
                           const float* __restrict__ g, const float* __restrict__ dPenalty,
                           float beta, float c, float lambda, float* __restrict__ dW,
                           float* __restrict__ dS, int n) {
  float lp = lambda * dPenalty[0];
  float cb = c * beta;
  int gid = cs4j_gid();
  int stride = cs4j_gstride();
  bool vec = cs4j_aligned16(w) && cs4j_aligned16(s) && cs4j_aligned16(g) && cs4j_aligned16(dW) &&
             cs4j_aligned16(dS);
  int n4 = vec ? n / 4 : 0;
  for (int i = gid; i < n4; i += stride) {
    float4 wv = reinterpret_cast<const float4*>(w)[i];
    float4 sv = reinterpret_cast<const float4*>(s)[i];
    float4 gv = reinterpret_cast<const float4*>(g)[i];
    float4 a, b;
    cs4j_mask_grad(wv.x, sv.x, gv.x, beta, c, cb, lp, a.x, b.x);
    cs4j_mask_grad(wv.y, sv.y, gv.y, beta, c, cb, lp, a.y, b.y);
    cs4j_mask_grad(wv.z, sv.z, gv.z, beta, c, cb, lp, a.z, b.z);
    cs4j_mask_grad(wv.w, sv.w, gv.w, beta, c, cb, lp, a.w, b.w);
    reinterpret_cast<float4*>(dW)[i] = a;
    reinterpret_cast<float4*>(dS)[i] = b;
  }
  for (int i = n4 * 4 + gid; i < n; i += stride) {
    cs4j_mask_grad(w[i], s[i], g[i], beta, c, cb, lp, dW[i], dS[i]);
  }
}

// Hard-concrete gates of the stochastic ℓ0 baseline (Backend.hardConcreteGate), elementwise. The
// noise of element i is draw noiseOffset + i of the SplitMix64 stream at noiseState, as the host's
// Rng.floatAt computes it (SplitMix64 is counter-based), so a seed gives the same gates on every
// device; the maths follows CpuHardConcrete in double where it does.
__device__ __forceinline__ unsigned long long cs4j_splitmix64(unsigned long long z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

__device__ __forceinline__ float cs4j_sigmoid_d(float x) {
  return (float)(1.0 / (1.0 + exp(-(double)x)));
}

extern "C" __global__ void cs4j_hard_concrete(const float* __restrict__ logAlpha, int sample,
                                              unsigned long long noiseState,
                                              long long noiseOffset, float temperature,
                                              float gamma, float zeta, float* __restrict__ z,
                                              float* __restrict__ dzda, int n) {
  float stretch = zeta - gamma;
  for (int i = cs4j_gid(); i < n; i += cs4j_gstride()) {
    if (!sample) {
      z[i] = fminf(1.f, fmaxf(0.f, cs4j_sigmoid_d(logAlpha[i]) * stretch + gamma));
      continue;
    }
    unsigned long long draw = (unsigned long long)(noiseOffset + i) + 1ull;
    unsigned long long bits = cs4j_splitmix64(noiseState + draw * 0x9E3779B97F4A7C15ull);
    float u = (float)(bits >> 40) * 0x1.0p-24f;
    u = fmaxf(1.17549435e-38f, fminf(1.f - 0x1.0p-24f, u));
    float x = (float)((log((double)u) - log1p(-(double)u) + (double)logAlpha[i]) /
                      (double)temperature);
    float s = cs4j_sigmoid_d(x);
    float stretched = s * stretch + gamma;
    z[i] = fminf(1.f, fmaxf(0.f, stretched));
    dzda[i] = (stretched > 0.f && stretched < 1.f) ? stretch * s * (1.f - s) / temperature : 0.f;
  }
}
