package cs4j.bench;

import cs4j.autograd.Autograd;
import cs4j.backend.cpu.CpuBackend;
import cs4j.ops.Ops;
import cs4j.tensor.Rng;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The CS masked weight on the CPU backend: the fused kernels against the same maths composed from
 * separate ops, with a plain copy as the memory-bandwidth ceiling, all in one run.
 *
 * <p>GB/s on the minimum bytes per element: forward 12 (read w, s; write wEff), forward+backward 32
 * (+ read w, s, g; write dW, dS), copy 8 (read, write): GB/s = bytes · size / time.
 *
 * <ul>
 *   <li>fused*: {@code CpuBackend.maskedWeight}/{@code maskedWeightBackward} on preallocated
 *       tensors (β = 5, c = 1, λ = 1e-8, upstream penalty gradient 1).
 *   <li>composed*: scale(s, β) → sigmoid → scale(·, c) → mul(w, ·) and λ·sum(mask) through {@code
 *       cs4j.ops.Ops} (fresh output tensors each call, as in training); the backward is {@code
 *       Autograd.backward(wEff, g)}: it leaves out the penalty's gradient path, which only flatters
 *       the composed version.
 *   <li>copy: {@code CpuBackend.copy}, i.e. System.arraycopy split over the same worker threads.
 * </ul>
 *
 * Run with {@code --add-modules jdk.incubator.vector} (set below) so the vector kernel is used;
 * {@code -jvmArgsAppend -Dcs4j.vector=false} measures the scalar fallback. Many short measurement
 * iterations, so that on a shared machine the best iteration (JSON raw data) shows the unloaded
 * speed next to the mean.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms3g", "-Xmx3g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 20, time = 200, timeUnit = TimeUnit.MILLISECONDS)
public class MaskedWeightBenchmark {
  private static final float BETA = 5f;
  private static final float C = 1f;
  private static final float LAMBDA = 1e-8f;

  @Param({"1048576", "16777216"})
  public int size;

  private final CpuBackend cpu = CpuBackend.get();
  private Tensor w;
  private Tensor s;
  private Tensor g;
  private Tensor wEff;
  private Tensor penalty;
  private Tensor dPenalty;
  private Tensor dW;
  private Tensor dS;
  private Tensor wLeaf;
  private Tensor sLeaf;

  @Setup
  public void setUp() {
    Rng rng = new Rng(7);
    w = Tensor.normal(rng, 0f, 0.1f, size);
    s = Tensor.normal(rng, 0f, 1f, size);
    g = Tensor.normal(rng, 0f, 1f, size);
    wEff = Tensor.zeros(size);
    dW = Tensor.zeros(size);
    dS = Tensor.zeros(size);
    penalty = Tensor.zeros(Shape.scalar(), w.device());
    dPenalty = Tensor.full(1f);
    wLeaf = w.detach().requiresGrad(true); // a leaf of its own over the same values
    sLeaf = s.detach().requiresGrad(true);
    System.out.println(
        "\nmasked-weight kernel: " + cpu.maskedWeightKernel() + ", threads " + cpu.threads());
  }

  @Benchmark
  public Tensor fusedForward() {
    cpu.maskedWeight(w, s, BETA, C, LAMBDA, wEff, penalty);
    return penalty;
  }

  @Benchmark
  public Tensor fusedForwardBackward() {
    cpu.maskedWeight(w, s, BETA, C, LAMBDA, wEff, penalty);
    cpu.maskedWeightBackward(w, s, g, dPenalty, BETA, C, LAMBDA, dW, dS);
    return dS;
  }

  @Benchmark
  public void composedForward(Blackhole bh) {
    composed(w, s, bh);
  }

  @Benchmark
  public Tensor composedForwardBackward(Blackhole bh) {
    wLeaf.zeroGrad();
    sLeaf.zeroGrad();
    Tensor out = composed(wLeaf, sLeaf, bh);
    Autograd.backward(out, g);
    return sLeaf.grad();
  }

  private static Tensor composed(Tensor w, Tensor s, Blackhole bh) {
    Tensor mask = Ops.scale(Ops.sigmoid(Ops.scale(s, BETA)), C);
    Tensor out = Ops.mul(w, mask);
    bh.consume(Ops.scale(Ops.sum(mask), LAMBDA));
    return out;
  }

  @Benchmark
  public Tensor copy() {
    cpu.copy(w, wEff);
    return wEff;
  }
}
