// Softmax cross-entropy over logits [N, K] with labels [N] (class indices stored as floats),
// mirroring CpuBackend.softmaxCrossEntropy: exponentials and sums in double, probabilities
// rounded to float. One thread per row (K is the class count, small here); the per-row losses go
// to rowLoss [N] (double) and cs4j_sum_finish (reduce.cu) writes loss[0] = mean.
//
// NOTE: a label that is not an integer in [0, K) cannot be rejected on the device without a host
// sync, so its row's loss (and that row of dLogits) is NaN: the training loop's non-finite-loss
// check then names the step.
#include "common.cuh"

__device__ __forceinline__ bool cs4j_valid_label(float v, int k) {
  return v >= 0.f && v < (float)k && v == floorf(v);
}

extern "C" __global__ void cs4j_softmax_ce_fwd(const float* __restrict__ logits,
                                               const float* __restrict__ labels,
                                               float* __restrict__ probs,
                                               double* __restrict__ rowLoss, int n, int k) {
  for (int row = cs4j_gid(); row < n; row += cs4j_gstride()) {
    const float* z = logits + row * k;
    float* p = probs + row * k;
    float max = -INFINITY;
    for (int j = 0; j < k; j++) {
      max = fmaxf(max, z[j]);
    }
    double sumExp = 0.0;
    for (int j = 0; j < k; j++) {
      double e = exp((double)(z[j] - max));
      p[j] = (float)e;
      sumExp += e;
    }
    for (int j = 0; j < k; j++) {
      p[j] = (float)((double)p[j] / sumExp);
    }
    float y = labels[row];
    rowLoss[row] = cs4j_valid_label(y, k) ? log(sumExp) - (double)(z[(int)y] - max) : NAN;
  }
}

// dLogits = dLoss[0]/N · (probs − onehot(labels)); dLoss is read on the device.
extern "C" __global__ void cs4j_softmax_ce_bwd(const float* __restrict__ probs,
                                               const float* __restrict__ labels,
                                               const float* __restrict__ dLoss,
                                               float* __restrict__ dLogits, int n, int k) {
  float scale = dLoss[0] / (float)n;
  int total = n * k;
  for (int i = cs4j_gid(); i < total; i += cs4j_gstride()) {
    int row = i / k;
    int j = i - row * k;
    float y = labels[row];
    float hot = (cs4j_valid_label(y, k) && j == (int)y) ? 1.f : 0.f;
    dLogits[i] = cs4j_valid_label(y, k) ? scale * (probs[i] - hot) : NAN;
  }
}

// out[0] = the number of rows of logits [N, K] whose first maximum is at labels[row], the CPU's
// loop (a strictly greater value moves the maximum, so NaN never wins). One block: the rows are
// strided over its threads and the per-thread counts added in shared memory (integers: the order
// does not matter).
extern "C" __global__ void cs4j_count_correct(const float* __restrict__ logits,
                                              const float* __restrict__ labels,
                                              float* __restrict__ out, int n, int k) {
  __shared__ int hits[256];
  int mine = 0;
  for (int row = threadIdx.x; row < n; row += blockDim.x) {
    const float* z = logits + row * k;
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (z[j] > z[best]) {
        best = j;
      }
    }
    if ((float)best == labels[row]) {
      mine++;
    }
  }
  hits[threadIdx.x] = mine;
  __syncthreads();
  for (int half = blockDim.x / 2; half > 0; half /= 2) {
    if (threadIdx.x < half) {
      hits[threadIdx.x] += hits[threadIdx.x + half];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    out[0] = (float)hits[0];
  }
}
