// The fused SGD step, in place, exactly Backend.sgdStep (PyTorch's formulation):
//   d = g + wd·w; with momentum μ > 0: buf ← d on the first step, else buf ← μ·buf + (1 − τ)·d,
//   then d ← d + μ·buf (Nesterov) or d ← buf; finally w ← w − lr·d.
// buf may be null when μ = 0. Reads w, g (and buf), writes w (and buf): 12 (20) bytes/element.
#include "common.cuh"

__device__ __forceinline__ void cs4j_sgd1(float& w, float g, float* b, float lr, float momentum,
                                          float dampening, float wd, bool nesterov, bool first) {
  float d = g + wd * w;
  if (b != nullptr) {
    float m = first ? d : momentum * *b + (1.f - dampening) * d;
    *b = m;
    d = nesterov ? d + momentum * m : m;
  }
  w -= lr * d;
}

extern "C" __global__ void __launch_bounds__(CS4J_BLOCK)
    cs4j_sgd_step(float* __restrict__ w, const float* __restrict__ g, float* __restrict__ buf,
                  int n, float lr, float momentum, float dampening, float weightDecay,
                  int nesterov, int firstStep) {
  bool useBuf = momentum != 0.f && buf != nullptr;
  bool nest = nesterov != 0;
  bool first = firstStep != 0;
  int gid = cs4j_gid();
  int stride = cs4j_gstride();
  bool vec = cs4j_aligned16(w) && cs4j_aligned16(g) && (!useBuf || cs4j_aligned16(buf));
  int n4 = vec ? n / 4 : 0;
  for (int i = gid; i < n4; i += stride) {
    float4 wv = reinterpret_cast<float4*>(w)[i];
    float4 gv = reinterpret_cast<const float4*>(g)[i];
    if (useBuf) {
      float4 bv = reinterpret_cast<float4*>(buf)[i];
      cs4j_sgd1(wv.x, gv.x, &bv.x, lr, momentum, dampening, weightDecay, nest, first);
      cs4j_sgd1(wv.y, gv.y, &bv.y, lr, momentum, dampening, weightDecay, nest, first);
      cs4j_sgd1(wv.z, gv.z, &bv.z, lr, momentum, dampening, weightDecay, nest, first);
      cs4j_sgd1(wv.w, gv.w, &bv.w, lr, momentum, dampening, weightDecay, nest, first);
      reinterpret_cast<float4*>(buf)[i] = bv;
    } else {
      cs4j_sgd1(wv.x, gv.x, nullptr, lr, momentum, dampening, weightDecay, nest, first);
      cs4j_sgd1(wv.y, gv.y, nullptr, lr, momentum, dampening, weightDecay, nest, first);
      cs4j_sgd1(wv.z, gv.z, nullptr, lr, momentum, dampening, weightDecay, nest, first);
      cs4j_sgd1(wv.w, gv.w, nullptr, lr, momentum, dampening, weightDecay, nest, first);
    }
    reinterpret_cast<float4*>(w)[i] = wv;
  }
  for (int i = n4 * 4 + gid; i < n; i += stride) {
    cs4j_sgd1(w[i], g[i], useBuf ? buf + i : nullptr, lr, momentum, dampening, weightDecay, nest,
              first);
  }
}
