// Max and average pooling over planes of x [N, C, H, W] -> y [N, C, P, Q], and the option-A ResNet
// shortcut. One thread per output element forward; the backwards are gathers (one thread per
// input element, adding the windows that cover it in ascending output order), so they need no
// atomics and add in the same order as CpuPooling's scatter: the results are bit-identical.
#include "common.cuh"

// The output rows i whose window (rows i·stride − pad .. + R − 1) covers input row h: [lo, hi].
__device__ __forceinline__ void cs4j_covering(int h, int r, int stride, int pad, int p, int& lo,
                                              int& hi) {
  int a = h + pad - r + 1;  // i·stride ≥ a
  lo = a > 0 ? (a + stride - 1) / stride : 0;
  hi = min(p - 1, (h + pad) / stride);
}

// y = max over the window (padding is −∞), argmax = h·W + w of the first maximum, as a float.
// NaN wins against every number, as in PyTorch and CpuPooling (including its per-row break).
extern "C" __global__ void cs4j_maxpool_fwd(const float* __restrict__ x, float* __restrict__ y,
                                            float* __restrict__ argmax, int planes, int h, int w,
                                            int p, int q, int r, int s, int sh, int sw, int ph,
                                            int pw) {
  int total = planes * p * q;
  for (int o = cs4j_gid(); o < total; o += cs4j_gstride()) {
    int plane = o / (p * q);
    int i = (o / q) % p;
    int j = o % q;
    const float* xp = x + plane * h * w;
    float best = -INFINITY;
    int bestIdx = -1;
    for (int dr = 0; dr < r; dr++) {
      int hh = i * sh - ph + dr;
      if (hh < 0 || hh >= h) {
        continue;
      }
      for (int ds = 0; ds < s; ds++) {
        int ww = j * sw - pw + ds;
        if (ww < 0 || ww >= w) {
          continue;
        }
        float v = xp[hh * w + ww];
        if (v > best || bestIdx < 0 || isnan(v)) {
          best = v;
          bestIdx = hh * w + ww;
          if (isnan(v)) {
            break;
          }
        }
      }
    }
    y[o] = best;
    argmax[o] = (float)bestIdx;
  }
}

// dX[plane, hh, ww] = Σ dY over the windows covering it whose argmax is this position.
extern "C" __global__ void cs4j_maxpool_bwd(const float* __restrict__ dY,
                                            const float* __restrict__ argmax,
                                            float* __restrict__ dX, int planes, int h, int w,
                                            int p, int q, int r, int s, int sh, int sw, int ph,
                                            int pw) {
  int total = planes * h * w;
  for (int e = cs4j_gid(); e < total; e += cs4j_gstride()) {
    int plane = e / (h * w);
    int hw = e - plane * h * w;
    int hh = hw / w;
    int ww = hw - hh * w;
    int iLo, iHi, jLo, jHi;
    cs4j_covering(hh, r, sh, ph, p, iLo, iHi);
    cs4j_covering(ww, s, sw, pw, q, jLo, jHi);
    const float* g = dY + plane * p * q;
    const float* am = argmax + plane * p * q;
    float acc = 0.f;
    for (int i = iLo; i <= iHi; i++) {
      for (int j = jLo; j <= jHi; j++) {
        if ((int)am[i * q + j] == hw) {
          acc += g[i * q + j];
        }
      }
    }
    dX[e] = acc;
  }
}

// y = (Σ window) / (R·S); padded zeros count in the divisor.
extern "C" __global__ void cs4j_avgpool_fwd(const float* __restrict__ x, float* __restrict__ y,
                                            int planes, int h, int w, int p, int q, int r, int s,
                                            int sh, int sw, int ph, int pw) {
  int total = planes * p * q;
  float inv = 1.f / (float)(r * s);
  for (int o = cs4j_gid(); o < total; o += cs4j_gstride()) {
    int plane = o / (p * q);
    int i = (o / q) % p;
    int j = o % q;
    const float* xp = x + plane * h * w;
    float sum = 0.f;
    for (int dr = 0; dr < r; dr++) {
      int hh = i * sh - ph + dr;
      if (hh < 0 || hh >= h) {
        continue;
      }
      for (int ds = 0; ds < s; ds++) {
        int ww = j * sw - pw + ds;
        if (ww >= 0 && ww < w) {
          sum += xp[hh * w + ww];
        }
      }
    }
    y[o] = sum * inv;
  }
}

// dX[plane, hh, ww] = Σ dY/(R·S) over the windows covering it.
extern "C" __global__ void cs4j_avgpool_bwd(const float* __restrict__ dY, float* __restrict__ dX,
                                            int planes, int h, int w, int p, int q, int r, int s,
                                            int sh, int sw, int ph, int pw) {
  int total = planes * h * w;
  float inv = 1.f / (float)(r * s);
  for (int e = cs4j_gid(); e < total; e += cs4j_gstride()) {
    int plane = e / (h * w);
    int hw = e - plane * h * w;
    int hh = hw / w;
    int ww = hw - hh * w;
    int iLo, iHi, jLo, jHi;
    cs4j_covering(hh, r, sh, ph, p, iLo, iHi);
    cs4j_covering(ww, s, sw, pw, q, jLo, jHi);
    const float* g = dY + plane * p * q;
    float acc = 0.f;
    for (int i = iLo; i <= iHi; i++) {
      for (int j = jLo; j <= jHi; j++) {
        acc += g[i * q + j] * inv;
      }
    }
    dX[e] = acc;
  }
}

// Option A: y [N, K, Ho, Wo] (Ho = ⌈H/2⌉) holds x [N, C, H, W] at even rows and columns in
// channels [pad, pad + C), pad = (K − C)/2, and zeros elsewhere.
extern "C" __global__ void cs4j_shortcut_a_fwd(const float* __restrict__ x, float* __restrict__ y,
                                               int n, int c, int h, int w, int k) {
  int ho = (h + 1) / 2;
  int wo = (w + 1) / 2;
  int pad = (k - c) / 2;
  int total = n * k * ho * wo;
  for (int o = cs4j_gid(); o < total; o += cs4j_gstride()) {
    int j = o % wo;
    int i = (o / wo) % ho;
    int kk = (o / (wo * ho)) % k;
    int b = o / (wo * ho * k);
    int ch = kk - pad;
    y[o] = (ch >= 0 && ch < c) ? x[((b * c + ch) * h + 2 * i) * w + 2 * j] : 0.f;
  }
}

// The adjoint: dX [N, C, H, W] = dY's middle channels at even positions, zero elsewhere.
extern "C" __global__ void cs4j_shortcut_a_bwd(const float* __restrict__ dY,
                                               float* __restrict__ dX, int n, int c, int h, int w,
                                               int k) {
  int ho = (h + 1) / 2;
  int wo = (w + 1) / 2;
  int pad = (k - c) / 2;
  int total = n * c * h * w;
  for (int e = cs4j_gid(); e < total; e += cs4j_gstride()) {
    int ww = e % w;
    int hh = (e / w) % h;
    int ch = (e / (w * h)) % c;
    int b = e / (w * h * c);
    bool even = (hh % 2 == 0) && (ww % 2 == 0);
    dX[e] = even ? dY[((b * k + ch + pad) * ho + hh / 2) * wo + ww / 2] : 0.f;
  }
}
