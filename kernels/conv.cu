// 2-D convolution (cross-correlation, no bias) as implicit GEMMs on the tile core of
// gemm_tile.cuh: the operands are gathered from x, w and dY on the fly, with no im2col buffer, and
// each output element is written by exactly one thread (no col2im scatter, no atomics).
//
//   forward          y [N, K, P, Q]:  rows m = (n, p, q), columns k,  reduction (c, r, s)
//   backward data   dX [N, C, H, W]:  rows m = (n, h, w), columns c,  reduction (k, r, s)
//   backward weight dW [K, C, R, S]:  rows m = (c, r, s), columns k,  reduction (n, p, q)
//
// Rows are the long pixel-like dimension and columns the channel count, so one tile shape fits
// every layer of a CIFAR network (the host picks _128x16, _128x32 or _64x64 from the channel
// count). Backward weight reduces over N·P·Q, which is long: the host splits it (split-K into ws,
// then cs4j_splitk_reduce from gemm.cu). Backward data gathers dY[n, k, (h + pad − r)/stride, ...]
// only where the division is exact, so strided layers need no zero-inserted copy.
#include "gemm_tile.cuh"

struct Cs4jGeom {
  int n, c, h, w, k, r, s, sh, sw, ph, pw, p, q;
  __device__ Cs4jGeom(int n_, int c_, int h_, int w_, int k_, int r_, int s_, int sh_, int sw_,
                      int ph_, int pw_)
      : n(n_), c(c_), h(h_), w(w_), k(k_), r(r_), s(s_), sh(sh_), sw(sw_), ph(ph_), pw(pw_),
        p((h_ + 2 * ph_ - r_) / sh_ + 1), q((w_ + 2 * pw_ - s_) / sw_ + 1) {}

  // x[n, c, p·sh − ph + r, q·sw − pw + s] or 0 in the padding; pix = (n, p, q), crs = (c, r, s).
  __device__ float x_at(const float* x, int pix, int crs) const {
    int b = pix / (p * q);
    int pq = pix - b * p * q;
    int i = pq / q;
    int j = pq - i * q;
    int ch = crs / (r * s);
    int rs = crs - ch * r * s;
    int dr = rs / s;
    int ds = rs - dr * s;
    int hh = i * sh - ph + dr;
    int ww = j * sw - pw + ds;
    return (hh >= 0 && hh < h && ww >= 0 && ww < w) ? x[((b * c + ch) * h + hh) * w + ww] : 0.f;
  }
};

// ---- forward: y = conv(x, w) ----------------------------------------------------------------

struct Cs4jFwdA {  // (pix, crs) -> x gathered
  const float* x;
  Cs4jGeom g;
  static constexpr bool kFast = false;
  __device__ float operator()(int pix, int crs) const { return g.x_at(x, pix, crs); }
};
struct Cs4jFwdB {  // (crs, k) -> w[k, crs]
  const float* w;
  int crs;
  static constexpr bool nFast = false;
  __device__ float operator()(int kr, int kk) const { return w[kk * crs + kr]; }
};
struct Cs4jFwdC {  // (pix, k) -> y[n, k, p, q]
  float* c;
  int k, pq;
  __device__ int index(int pix, int kk) const {
    int b = pix / pq;
    return (b * k + kk) * pq + (pix - b * pq);
  }
};

#define CS4J_CONV_PARAMS                                                                      \
  (const float* __restrict__ in0, const float* __restrict__ in1, float* __restrict__ out, int n, \
   int c, int h, int w, int k, int r, int s, int sh, int sw, int ph, int pw, int kPer,           \
   float* __restrict__ ws)

// in0 = x [N, C, H, W], in1 = w [K, C, R, S], out = y [N, K, P, Q].
CS4J_TILE_VARIANTS(cs4j_conv_fwd, CS4J_CONV_PARAMS, {
  Cs4jGeom g(n, c, h, w, k, r, s, sh, sw, ph, pw);
  int crs = c * r * s;
  cs4j_gemm_tile<BM, BN, TM, TN>(Cs4jFwdA{in0, g}, Cs4jFwdB{in1, crs},
                                 Cs4jFwdC{out, k, g.p * g.q}, n * g.p * g.q, k, crs, kPer, 1.f,
                                 0.f, ws);
})

// ---- backward data: dX = convᵀ(dY, w) ---------------------------------------------------------

struct Cs4jBwdDataA {  // (pixel (n, h, w), krs) -> dY[n, k, p, q] where h = p·sh − ph + r, ...
  const float* dY;
  Cs4jGeom g;
  static constexpr bool kFast = false;
  __device__ float operator()(int pix, int krs) const {
    int hw = g.h * g.w;
    int b = pix / hw;
    int e = pix - b * hw;
    int hh = e / g.w;
    int ww = e - hh * g.w;
    int kk = krs / (g.r * g.s);
    int rs = krs - kk * g.r * g.s;
    int dr = rs / g.s;
    int ds = rs - dr * g.s;
    int hp = hh + g.ph - dr;
    int wp = ww + g.pw - ds;
    if (hp < 0 || wp < 0 || hp % g.sh != 0 || wp % g.sw != 0) {
      return 0.f;
    }
    int i = hp / g.sh;
    int j = wp / g.sw;
    return (i < g.p && j < g.q) ? dY[((b * g.k + kk) * g.p + i) * g.q + j] : 0.f;
  }
};
struct Cs4jBwdDataB {  // (krs, c) -> w[k, c, r, s]
  const float* w;
  int c, rs;
  static constexpr bool nFast = false;
  __device__ float operator()(int krs, int ch) const {
    int kk = krs / rs;
    return w[(kk * c + ch) * rs + (krs - kk * rs)];
  }
};
struct Cs4jBwdDataC {  // (pixel, c) -> dX[n, c, h, w]
  float* c;
  int ch, hw;
  __device__ int index(int pix, int cc) const {
    int b = pix / hw;
    return (b * ch + cc) * hw + (pix - b * hw);
  }
};

// in0 = dY [N, K, P, Q], in1 = w [K, C, R, S], out = dX [N, C, H, W] (overwritten).
CS4J_TILE_VARIANTS(cs4j_conv_bwd_data, CS4J_CONV_PARAMS, {
  Cs4jGeom g(n, c, h, w, k, r, s, sh, sw, ph, pw);
  cs4j_gemm_tile<BM, BN, TM, TN>(Cs4jBwdDataA{in0, g}, Cs4jBwdDataB{in1, c, r * s},
                                 Cs4jBwdDataC{out, c, h * w}, n * h * w, c, k * r * s, kPer, 1.f,
                                 0.f, ws);
})

// ---- backward weight: dW = Σ over pixels of dY ⊗ x -----------------------------------------

struct Cs4jBwdWeightA {  // (crs, pix) -> x gathered
  const float* x;
  Cs4jGeom g;
  static constexpr bool kFast = true;
  __device__ float operator()(int crs, int pix) const { return g.x_at(x, pix, crs); }
};
struct Cs4jBwdWeightB {  // (pix, k) -> dY[n, k, p, q]
  const float* dY;
  int k, pq;
  static constexpr bool nFast = false;
  __device__ float operator()(int pix, int kk) const {
    int b = pix / pq;
    return dY[(b * k + kk) * pq + (pix - b * pq)];
  }
};
struct Cs4jBwdWeightC {  // (crs, k) -> dW[k, crs]
  float* c;
  int crs;
  __device__ int index(int m, int kk) const { return kk * crs + m; }
};

// in0 = x [N, C, H, W], in1 = dY [N, K, P, Q], out = dW [K, C, R, S] (overwritten; with split-K
// the slices go to ws and cs4j_splitk_reduce writes dW).
CS4J_TILE_VARIANTS(cs4j_conv_bwd_weight, CS4J_CONV_PARAMS, {
  Cs4jGeom g(n, c, h, w, k, r, s, sh, sw, ph, pw);
  int crs = c * r * s;
  cs4j_gemm_tile<BM, BN, TM, TN>(Cs4jBwdWeightA{in0, g}, Cs4jBwdWeightB{in1, k, g.p * g.q},
                                 Cs4jBwdWeightC{out, crs}, crs, k, n * g.p * g.q, kPer, 1.f, 0.f,
                                 ws);
})
