// Elementwise kernels (Backend: fill, axpby, mul, relu, sigmoid and their backwards,
// broadcastScalar, addBias). Grid-stride loops over n elements; float4 loads and stores when all
// pointers are 16-byte aligned, then a scalar tail. Outputs may alias inputs (axpby in place), so
// nothing here is __restrict__.
#include "common.cuh"

// out[i] = op(a[i], b[i]) for i < n, vectorised where aligned.
template <class Op>
__device__ __forceinline__ void cs4j_map2(const float* a, const float* b, float* out, int n, Op op) {
  int gid = cs4j_gid();
  int stride = cs4j_gstride();
  int n4 = (cs4j_aligned16(a) && cs4j_aligned16(b) && cs4j_aligned16(out)) ? n / 4 : 0;
  const float4* a4 = reinterpret_cast<const float4*>(a);
  const float4* b4 = reinterpret_cast<const float4*>(b);
  float4* o4 = reinterpret_cast<float4*>(out);
  for (int i = gid; i < n4; i += stride) {
    float4 x = a4[i];
    float4 y = b4[i];
    o4[i] = make_float4(op(x.x, y.x), op(x.y, y.y), op(x.z, y.z), op(x.w, y.w));
  }
  for (int i = n4 * 4 + gid; i < n; i += stride) {
    out[i] = op(a[i], b[i]);
  }
}

// out[i] = op(x[i]) for i < n, vectorised where aligned.
template <class Op>
__device__ __forceinline__ void cs4j_map1(const float* x, float* out, int n, Op op) {
  int gid = cs4j_gid();
  int stride = cs4j_gstride();
  int n4 = (cs4j_aligned16(x) && cs4j_aligned16(out)) ? n / 4 : 0;
  const float4* x4 = reinterpret_cast<const float4*>(x);
  float4* o4 = reinterpret_cast<float4*>(out);
  for (int i = gid; i < n4; i += stride) {
    float4 v = x4[i];
    o4[i] = make_float4(op(v.x), op(v.y), op(v.z), op(v.w));
  }
  for (int i = n4 * 4 + gid; i < n; i += stride) {
    out[i] = op(x[i]);
  }
}

// out[i] = v for i < n (no reads).
__device__ __forceinline__ void cs4j_set(float* out, int n, float v) {
  int gid = cs4j_gid();
  int stride = cs4j_gstride();
  int n4 = cs4j_aligned16(out) ? n / 4 : 0;
  for (int i = gid; i < n4; i += stride) {
    reinterpret_cast<float4*>(out)[i] = make_float4(v, v, v, v);
  }
  for (int i = n4 * 4 + gid; i < n; i += stride) {
    out[i] = v;
  }
}

struct Axpby {
  float alpha, beta;
  __device__ float operator()(float x, float y) const { return alpha * x + beta * y; }
};
struct AddScalar {
  float v;
  __device__ float operator()(float x) const { return x + v; }
};
struct Mul {
  __device__ float operator()(float x, float y) const { return x * y; }
};
struct Relu {  // NaN passes through, as Java's Math.max(x, 0) (fmaxf would give 0)
  __device__ float operator()(float x) const { return (x > 0.f || x != x) ? x : 0.f; }
};
struct ReluBackward {  // (y, dY) -> dX
  __device__ float operator()(float y, float g) const { return y > 0.f ? g : 0.f; }
};
struct Sigmoid {
  __device__ float operator()(float x) const { return cs4j_sigmoid(x); }
};
struct SigmoidBackward {  // (y, dY) -> dX
  __device__ float operator()(float y, float g) const { return g * y * (1.f - y); }
};

// x ← value.
extern "C" __global__ void cs4j_fill(float* x, float value, int n) {
  cs4j_set(x, n, value);
}

// x += value, in place (a counter kept on the device, such as batch norm's batches tracked).
extern "C" __global__ void cs4j_add_scalar(float* x, float value, int n) {
  cs4j_map1(x, x, n, AddScalar{value});
}

// out = alpha·a + beta·b.
extern "C" __global__ void cs4j_axpby(float alpha, const float* a, float beta, const float* b,
                                      float* out, int n) {
  cs4j_map2(a, b, out, n, Axpby{alpha, beta});
}

extern "C" __global__ void cs4j_mul(const float* a, const float* b, float* out, int n) {
  cs4j_map2(a, b, out, n, Mul{});
}

extern "C" __global__ void cs4j_relu(const float* x, float* y, int n) {
  cs4j_map1(x, y, n, Relu{});
}

extern "C" __global__ void cs4j_relu_backward(const float* y, const float* dY, float* dX, int n) {
  cs4j_map2(y, dY, dX, n, ReluBackward{});
}

extern "C" __global__ void cs4j_sigmoid(const float* x, float* y, int n) {
  cs4j_map1(x, y, n, Sigmoid{});
}

extern "C" __global__ void cs4j_sigmoid_backward(const float* y, const float* dY, float* dX,
                                                 int n) {
  cs4j_map2(y, dY, dX, n, SigmoidBackward{});
}

// out = alpha·g[0] everywhere; g[0] is read on the device, so no host sync.
extern "C" __global__ void cs4j_broadcast_scalar(const float* g, float alpha, float* out, int n) {
  cs4j_set(out, n, alpha * g[0]);
}

// out[o, c, i] = x[o, c, i] + bias[c], x viewed as [outer, C, inner]; n = outer·C·inner.
extern "C" __global__ void cs4j_add_bias(const float* x, const float* bias, float* out,
                                         int channels, int inner, int n) {
  for (int i = cs4j_gid(); i < n; i += cs4j_gstride()) {
    out[i] = x[i] + bias[(i / inner) % channels];
  }
}
