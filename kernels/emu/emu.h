// A host emulator for cs4j's kernels: just enough CUDA to run them on a machine without a GPU.
// Blocks run one after another on one set of std::threads (one per thread of a block); each thread
// walks the blocks in order, with a barrier between blocks, and __syncthreads is the same
// std::barrier. __shared__ becomes static, which is right because only one block runs at a time.
// It checks indexing and synchronisation logic, not speed, and knows nothing of warps.
#pragma once
#include <math.h>

#include <algorithm>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <thread>
#include <vector>

struct dim3 {
  unsigned x, y, z;
  dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};
struct uint3 {
  unsigned x, y, z;
};
struct alignas(16) float4 {
  float x, y, z, w;
};
inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }

inline thread_local uint3 threadIdx;
inline thread_local uint3 blockIdx;
inline dim3 blockDim;
inline dim3 gridDim;
inline std::barrier<>* emu_barrier = nullptr;

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(...)

inline void __syncthreads() { emu_barrier->arrive_and_wait(); }
inline float rsqrtf(float x) { return 1.f / std::sqrt(x); }
using std::isnan;
using std::max;
using std::min;

// Runs body() as the kernel of one launch: grid × block threads.
template <class F>
void emu_launch(dim3 grid, dim3 block, F body) {
  gridDim = grid;
  blockDim = block;
  unsigned threads = block.x * block.y * block.z;
  unsigned blocks = grid.x * grid.y * grid.z;
  std::barrier<> bar(threads);
  emu_barrier = &bar;
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; t++) {
    pool.emplace_back([&, t] {
      threadIdx = uint3{t % block.x, (t / block.x) % block.y, t / (block.x * block.y)};
      for (unsigned b = 0; b < blocks; b++) {
        blockIdx = uint3{b % grid.x, (b / grid.x) % grid.y, b / (grid.x * grid.y)};
        body();
        bar.arrive_and_wait();  // the block's shared memory is reused by the next block
      }
    });
  }
  for (auto& th : pool) {
    th.join();
  }
}
