package cs4j.bench;

import cs4j.backend.cpu.CpuBackend;
import cs4j.tensor.Rng;
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
 * CPU SGEMM C [n, n] = A · B (ms per call; GFLOP/s = 2·n³ / time), the machine-ceiling comparison
 * with torch.mm. Run with {@code -jvmArgsAppend -Dcs4j.vector=false} to time the plain-Java kernel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class GemmBenchmark {
  @Param({"1024"})
  public int n;

  private final CpuBackend backend = CpuBackend.get();
  private Tensor a;
  private Tensor b;
  private Tensor c;

  @Setup
  public void setUp() {
    Rng rng = new Rng(1);
    a = Tensor.uniform(rng, -1f, 1f, n, n);
    b = Tensor.uniform(rng, -1f, 1f, n, n);
    c = Tensor.zeros(n, n);
  }

  @Benchmark
  public Tensor gemm() {
    backend.gemm(false, false, n, n, n, 1f, a, b, 0f, c);
    return c;
  }
}
