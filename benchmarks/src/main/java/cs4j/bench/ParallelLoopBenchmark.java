package cs4j.bench;

import cs4j.backend.cpu.CpuBackend;
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

/**
 * The cost of one parallel loop: {@code CpuBackend.fill} of a small tensor (2·GRAIN floats by
 * default, so split over 2 threads), µs per call. The fill itself takes a few µs; the rest is
 * handing the second chunk to a worker and waiting for it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class ParallelLoopBenchmark {
  @Param({"65536"})
  public int n;

  private final CpuBackend backend = CpuBackend.get();
  private Tensor x;

  @Setup
  public void setUp() {
    x = Tensor.zeros(n);
  }

  @Benchmark
  public Tensor fill() {
    backend.fill(x, 1f);
    return x;
  }
}
