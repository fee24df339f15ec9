#!/usr/bin/python3
"""PyTorch CPU anchor for benchmarks/src/main/java/cs4j/bench/ConvBenchmark.java and GemmBenchmark.

Times conv2d forward, backward-data and backward-weight (aten::convolution_backward with one output
each, as autograd calls it) at the ResNet-20 layer shapes, batch 128, float32,
torch.set_num_threads(2), plus torch.mm at 1024^3. Median of the timed repetitions after warm-up.
GFLOP/s: forward = 2*N*K*C*R*S*P*Q flops; each backward costs the same.

Run with the interpreter that has torch:  /usr/bin/python3 benchmarks/torch_conv_anchor.py
  --shapes S1,S2,...: other shapes (same strings as ConvBenchmark's -p shape=...), e.g. VGG-16's
  64-128-16-3-1 or the 1x1 GEMM ceiling 256-256-16-1-1.
  --single-thread-cpu-time: one thread, timed with the thread's CPU clock (time.thread_time), which
  a loaded machine disturbs far less than wall time; compare with cs4j timed the same way.
"""
import os
import sys
import statistics
import time

import torch
import torch.nn.functional as F

BATCH = 128
# C-K-H-R-stride, padding (R-1)/2: the same strings as ConvBenchmark's @Param
SHAPES = ["3-16-32-3-1", "16-16-32-3-1", "16-32-32-3-2", "32-32-16-3-1",
          "32-64-16-3-2", "64-64-8-3-1", "16-32-32-1-2", "32-64-16-1-2"]


CLOCK = time.perf_counter


def bench(fn, warmup=3, reps=10):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t = CLOCK()
        fn()
        times.append(CLOCK() - t)
    return statistics.median(times)


def conv_shape(spec):
    c, k, hw, r, stride = (int(v) for v in spec.split("-"))
    pad = (r - 1) // 2
    x = torch.rand(BATCH, c, hw, hw) * 2 - 1
    w = torch.rand(k, c, r, r) * 2 - 1
    y = F.conv2d(x, w, stride=stride, padding=pad)
    dy = torch.rand_like(y) * 2 - 1
    p, q = y.shape[2], y.shape[3]
    flops = 2.0 * BATCH * k * c * r * r * p * q

    def backward(mask):
        return torch.ops.aten.convolution_backward(
            dy, x, w, None, [stride, stride], [pad, pad], [1, 1], False, [0, 0], 1, mask)

    t_fwd = bench(lambda: F.conv2d(x, w, stride=stride, padding=pad))
    t_bd = bench(lambda: backward([True, False, False]))
    t_bw = bench(lambda: backward([False, True, False]))
    return flops, t_fwd, t_bd, t_bw


def main():
    global CLOCK
    if "--single-thread-cpu-time" in sys.argv:
        torch.set_num_threads(1)
        CLOCK = time.thread_time
    else:
        torch.set_num_threads(2)
    print("torch %s, threads %d, clock %s, loadavg before %s" % (
        torch.__version__, torch.get_num_threads(), CLOCK.__name__, os.getloadavg()))
    print("%-14s %9s %9s %9s %9s | %7s %7s %7s %7s" % (
        "shape", "fwd ms", "bwdD ms", "bwdW ms", "sum ms", "fwd GF", "bwdD GF", "bwdW GF", "all GF"))
    shapes = SHAPES
    if "--shapes" in sys.argv:
        shapes = sys.argv[sys.argv.index("--shapes") + 1].split(",")
    for spec in shapes:
        flops, tf, td, tw = conv_shape(spec)
        print("%-14s %9.2f %9.2f %9.2f %9.2f | %7.1f %7.1f %7.1f %7.1f" % (
            spec, tf * 1e3, td * 1e3, tw * 1e3, (tf + td + tw) * 1e3,
            flops / tf / 1e9, flops / td / 1e9, flops / tw / 1e9, 3 * flops / (tf + td + tw) / 1e9))
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    t = bench(lambda: torch.mm(a, b), 3, 20)
    print("torch.mm 1024^3: %.2f ms, %.1f GFLOP/s" % (t * 1e3, 2 * 1024 ** 3 / t / 1e9))
    print("loadavg after %s" % (os.getloadavg(),))


if __name__ == "__main__":
    main()
