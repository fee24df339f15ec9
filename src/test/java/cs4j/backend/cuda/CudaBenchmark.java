package cs4j.backend.cuda;

import static cs4j.backend.cuda.CudaTestSupport.maxRelError;

import cs4j.backend.Backend;
import cs4j.backend.ConvGeometry;
import cs4j.backend.cpu.CpuBackend;
import cs4j.data.BatchLoader;
import cs4j.data.LoaderOptions;
import cs4j.data.Normalization;
import cs4j.data.RandomCropFlip;
import cs4j.optim.LrSchedule;
import cs4j.sparsity.ContinuousSparsification;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import cs4j.testing.MaskedResNet20;
import cs4j.testing.TrainingParityContract;
import cs4j.train.EpochMetrics;
import cs4j.train.Progress;
import cs4j.train.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The GPU benchmark of the bundle (benchmarks/gpu/run.sh): per op, the max relative error against
 * the CPU backend (max|gpu − cpu| / max|cpu|), the median time (CUDA events) and the throughput,
 * with memory-bound ops as a share of the device-to-device copy bandwidth measured in the same run;
 * then the whole masked ResNet-20 training step at batch 128 through the production trainer (ms and
 * images/s), for one search and for four at once on one GPU.
 *
 * <p>Usage: {@code CudaBenchmark OUTPUT_DIR}; writes OUTPUT_DIR/report.txt. Exits 2 without a GPU.
 * A benchmark, not a test: nothing here asserts a speed.
 */
public final class CudaBenchmark {
  private static final int BIG = 16 << 20; // 16M elements, the bandwidth size
  private static final int BATCH = 128;

  private final CudaBackend cuda;
  private final CudaTimer timer;
  private final Rng rng = new Rng(1);
  private final List<String> rows = new ArrayList<>();
  private double copyGbps = Double.NaN;

  private CudaBenchmark(CudaBackend cuda, CudaTimer timer) {
    this.cuda = cuda;
    this.timer = timer;
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    Path out = Path.of(args.length > 0 ? args[0] : "gpu-report");
    Files.createDirectories(out);
    String when = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    Cuda.Probe probe = Cuda.probe();
    if (!probe.available()) {
      String msg = "cs4j GPU benchmark, " + when + ": no GPU: " + probe.reason() + "\n";
      Files.writeString(out.resolve("report.txt"), msg, StandardCharsets.UTF_8);
      System.out.print(msg);
      System.exit(2);
    }
    CudaBackend cuda = Cuda.backend();
    StringBuilder report = new StringBuilder();
    report.append("cs4j GPU benchmark, ").append(when).append('\n');
    report.append(cuda.describe()).append('\n');
    report.append("max rel err = max|gpu - cpu| / max|cpu| against the CPU backend;");
    report.append(" times are medians of CUDA-event trials\n\n");
    report.append(
        String.format(
            "%-34s %-22s %12s %11s %16s %8s%n",
            "op", "shape", "max rel err", "time (ms)", "throughput", "% copy"));
    try (CudaTimer timer = new CudaTimer(cuda.context())) {
      CudaBenchmark b = new CudaBenchmark(cuda, timer);
      b.memoryBound();
      b.computeBound();
      b.rows.forEach(r -> report.append(r).append('\n'));
    }
    report.append('\n').append(wholeStep(cuda.device(), 1, false)).append('\n');
    report.append(wholeStep(cuda.device(), 1, true)).append('\n');
    report.append(wholeStep(cuda.device(), 4, false)).append('\n');
    report.append(wholeStep(cuda.device(), 4, true)).append('\n');
    Files.writeString(out.resolve("report.txt"), report.toString(), StandardCharsets.UTF_8);
    System.out.print(report);
  }

  private Tensor u(int... dims) {
    return Tensor.uniform(rng, -1f, 1f, dims);
  }

  private Tensor gpu(Tensor cpu) {
    return cpu.to(cuda.device());
  }

  /**
   * Runs op once on the CPU and once on the GPU from the same inputs, compares the outputs at
   * {@code compare}, then times the GPU op. Returns the error; adds a row.
   */
  private void bench(
      String name,
      String shape,
      double work,
      String unit,
      BiConsumer<Backend, Tensor[]> op,
      int[] compare,
      Tensor... cpu) {
    try (MemoryScope scope = cuda.device().openScope()) {
      Tensor[] g = new Tensor[cpu.length];
      for (int i = 0; i < cpu.length; i++) {
        g[i] = gpu(cpu[i]);
      }
      op.accept(CpuBackend.get(), cpu);
      op.accept(cuda, g);
      double err = 0;
      for (int i : compare) {
        err = Math.max(err, maxRelError(cpu[i].toArray(), g[i].toArray()));
      }
      double ms = timer.medianMillis(() -> op.accept(cuda, g), 20, 7);
      double rate = work / (ms * 1e-3) / 1e9;
      String pct = unit.equals("GB/s") ? String.format("%.0f%%", 100 * rate / copyGbps) : "";
      rows.add(
          String.format(
              "%-34s %-22s %12.2e %11.4f %11.1f %-4s %8s", name, shape, err, ms, rate, unit, pct));
    }
  }

  private static String dims(int... d) {
    return java.util.Arrays.toString(d).replace(" ", "");
  }

  private void memoryBound() {
    String n = "16M";
    try (MemoryScope scope = cuda.device().openScope()) {
      Tensor src = gpu(u(BIG));
      Tensor dst = Tensor.zeros(cuda.device(), BIG);
      double ms = timer.medianMillis(() -> cuda.copy(src, dst), 20, 7);
      copyGbps = 8.0 * BIG / (ms * 1e-3) / 1e9;
      rows.add(
          String.format(
              "%-34s %-22s %12s %11.4f %11.1f %-4s %8s",
              "copy D2D (bandwidth reference)", n, "-", ms, copyGbps, "GB/s", "100%"));
    }
    bench(
        "axpby",
        n,
        12.0 * BIG,
        "GB/s",
        (b, t) -> b.axpby(0.5f, t[0], 2f, t[1], t[2]),
        new int[] {2},
        u(BIG),
        u(BIG),
        Tensor.zeros(BIG));
    Tensor w = u(BIG);
    Tensor s = Tensor.uniform(rng, -3f, 3f, BIG);
    bench(
        "maskedWeight (fused fwd)",
        n,
        12.0 * BIG,
        "GB/s",
        (b, t) -> b.maskedWeight(t[0], t[1], 1f, 2f, 1e-8f, t[2], t[3]),
        new int[] {2, 3},
        w,
        s,
        Tensor.zeros(BIG),
        Tensor.zeros(1));
    bench(
        "maskedWeightBackward (fused)",
        n,
        20.0 * BIG,
        "GB/s",
        (b, t) -> b.maskedWeightBackward(t[0], t[1], t[2], t[3], 1f, 2f, 1e-8f, t[4], t[5]),
        new int[] {4, 5},
        w,
        s,
        u(BIG),
        Tensor.of(new float[] {1f}, 1),
        Tensor.zeros(BIG),
        Tensor.zeros(BIG));
    bench(
        "sgdStep (Nesterov, fused)",
        n,
        20.0 * BIG,
        "GB/s",
        (b, t) -> b.sgdStep(t[0], t[1], t[2], 0.1f, 0.9f, 0f, 1e-4f, true, false),
        new int[] {0, 2},
        u(BIG),
        u(BIG),
        u(BIG));
    bench(
        "sum",
        n,
        4.0 * BIG,
        "GB/s",
        (b, t) -> b.sum(t[0], t[1]),
        new int[] {1},
        w,
        Tensor.zeros(1));
    int[] act = {BATCH, 16, 32, 32};
    int a = BATCH * 16 * 32 * 32;
    bench(
        "relu",
        dims(act),
        8.0 * a,
        "GB/s",
        (b, t) -> b.relu(t[0], t[1]),
        new int[] {1},
        u(act),
        Tensor.zeros(act));
    Tensor x = Tensor.uniform(rng, 2f, 4f, act);
    bench(
        "batchNormTrain",
        dims(act),
        12.0 * a,
        "GB/s",
        (b, t) -> b.batchNormTrain(t[0], t[1], t[2], t[3], t[4], 0.1f, 1e-5f, t[5], t[6], t[7]),
        new int[] {5, 6, 7},
        x,
        Tensor.ones(16),
        Tensor.zeros(16),
        Tensor.zeros(16),
        Tensor.ones(16),
        Tensor.zeros(act),
        Tensor.zeros(16),
        Tensor.zeros(16));
    bench(
        "batchNormBackward",
        dims(act),
        20.0 * a,
        "GB/s",
        (b, t) -> b.batchNormBackward(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]),
        new int[] {5, 6, 7},
        x,
        u(act),
        Tensor.ones(16),
        Tensor.full(3f, 16),
        Tensor.full(1.7f, 16),
        Tensor.zeros(act),
        Tensor.zeros(16),
        Tensor.zeros(16));
    int[] vgg = {BATCH, 64, 32, 32};
    int[] pooled = {BATCH, 64, 16, 16};
    ConvGeometry pool = ConvGeometry.square(BATCH, 64, 32, 32, 2, 2, 0);
    bench(
        "maxPool2d 2x2",
        dims(vgg),
        4.0 * BATCH * 64 * (1024 + 2 * 256),
        "GB/s",
        (b, t) -> b.maxPool2d(t[0], t[1], t[2], pool),
        new int[] {1, 2},
        u(vgg),
        Tensor.zeros(pooled),
        Tensor.zeros(pooled));
    float[] labels = new float[BATCH];
    for (int i = 0; i < BATCH; i++) {
      labels[i] = rng.nextInt(10);
    }
    bench(
        "softmaxCrossEntropy",
        dims(BATCH, 10),
        4.0 * BATCH * 21,
        "GB/s",
        (b, t) -> b.softmaxCrossEntropy(t[0], t[1], t[2], t[3]),
        new int[] {2, 3},
        u(BATCH, 10),
        Tensor.of(labels, BATCH),
        Tensor.zeros(BATCH, 10),
        Tensor.zeros(1));
  }

  private void computeBound() {
    int m = 1024;
    bench(
        "gemm " + (cuda.gemmUsesCublas() ? "(cuBLAS)" : "(cs4j kernels)"),
        "1024^3",
        2.0 * m * m * m,
        "GFLOP/s",
        (b, t) -> b.gemm(false, false, m, m, m, 1f, t[0], t[1], 0f, t[2]),
        new int[] {2},
        u(m, m),
        u(m, m),
        Tensor.zeros(m, m));
    ConvGeometry[] layers = {
      ConvGeometry.square(BATCH, 16, 32, 32, 3, 1, 1),
      ConvGeometry.square(BATCH, 16, 32, 32, 3, 2, 1),
      ConvGeometry.square(BATCH, 32, 16, 16, 3, 1, 1),
      ConvGeometry.square(BATCH, 64, 8, 8, 3, 1, 1),
    };
    int[] outChannels = {16, 32, 32, 64};
    for (int i = 0; i < layers.length; i++) {
      ConvGeometry g = layers[i];
      int k = outChannels[i];
      int[] x = {g.n(), g.c(), g.h(), g.w()};
      int[] w = {k, g.c(), g.r(), g.s()};
      int[] y = {g.n(), k, g.p(), g.q()};
      double flops = 2.0 * g.n() * k * g.p() * g.q() * g.c() * g.r() * g.s();
      String shape = g.c() + "->" + k + " " + g.h() + "x" + g.w() + " s" + g.strideH();
      bench(
          "conv2d fwd",
          shape,
          flops,
          "GFLOP/s",
          (b, t) -> b.conv2d(t[0], t[1], t[2], g),
          new int[] {2},
          u(x),
          u(w),
          Tensor.zeros(y));
      bench(
          "conv2d bwd data",
          shape,
          flops,
          "GFLOP/s",
          (b, t) -> b.conv2dBackwardData(t[0], t[1], t[2], g),
          new int[] {2},
          u(y),
          u(w),
          Tensor.zeros(x));
      bench(
          "conv2d bwd weight",
          shape,
          flops,
          "GFLOP/s",
          (b, t) -> b.conv2dBackwardWeight(t[0], t[1], t[2], g),
          new int[] {2},
          u(x),
          u(y),
          Tensor.zeros(w));
    }
  }

  /**
   * The masked ResNet-20 training step at batch 128 through the production path: the registry's
   * {@code resnet20-a} with CS masks on all 20 layers, the trainer (batches built on the loader
   * thread, uploaded through pinned memory, one scope and one host sync per step), {@code searches}
   * runs at once, each on a thread and stream of its own, eager or with captured steps (CUDA
   * graphs). Two epochs of 30 steps; the second is timed. Returns the report line.
   */
  static String wholeStep(CudaDevice device, int searches, boolean graphs)
      throws InterruptedException {
    int steps = 30;
    double[] seconds = new double[searches];
    Throwable[] failure = new Throwable[1];
    long peakBefore = device.memory().peakLiveBytes();
    Thread[] threads = new Thread[searches];
    for (int k = 0; k < searches; k++) {
      int run = k;
      threads[k] =
          new Thread(
              () -> {
                try (MaskedResNet20 net = new MaskedResNet20(device, 3 + run)) {
                  BatchLoader train =
                      new BatchLoader(
                          TrainingParityContract.cifarShaped(BATCH * steps, run),
                          Normalization.CIFAR10,
                          RandomCropFlip.cifar(),
                          LoaderOptions.training(BATCH, run));
                  net.masks().schedule(ContinuousSparsification.BetaSchedule.PER_EPOCH, 200, 2);
                  List<EpochMetrics> epochs =
                      new Trainer(
                              net.model(),
                              net.optimizers(),
                              LrSchedule.constant(),
                              net.masks(),
                              Trainer.Options.of(2)
                                  .withDevice(device)
                                  .withProgress(Progress.silent())
                                  .withCaptureSteps(graphs))
                          .fit(train, null);
                  seconds[run] = epochs.get(1).seconds();
                } catch (Throwable t) {
                  failure[0] = t;
                }
              },
              "search-" + k);
      threads[k].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure[0] != null) {
      throw new IllegalStateException("whole-step benchmark failed", failure[0]);
    }
    double slowest = java.util.Arrays.stream(seconds).max().orElseThrow();
    double msPerStep = slowest * 1e3 / steps;
    return String.format(
        "whole step: masked ResNet-20 (resnet20-a, CS masks on all 20 layers), batch %d, %s,"
            + " through the trainer, %d search(es) at once: %.2f ms/step each, %.0f images/s in"
            + " all; device memory peak %.1f MiB (before: %.1f MiB)",
        BATCH,
        graphs ? "captured steps (CUDA graphs)" : "eager",
        searches,
        msPerStep,
        searches * BATCH * steps / slowest,
        device.memory().peakLiveBytes() / 1048576.0,
        peakBefore / 1048576.0);
  }
}
