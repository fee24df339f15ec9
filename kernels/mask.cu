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
