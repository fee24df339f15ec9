package cs4j.bench;

import cs4j.backend.ConvGeometry;
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
 * CPU conv2d at the ResNet-20 (CIFAR) layer shapes, batch 128: forward, backward data and backward
 * weight, each timed on its own (ms per call). Forward costs 2·N·K·C·R·S·P·Q flops and each
 * backward the same, so fwd+bwd GFLOP/s = 3·forward flops / (sum of the three times).
 *
 * <p>{@code shape} is "C-K-H-R-stride": input channels, output channels, input height = width,
 * square kernel size and stride; padding is (R − 1) / 2.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class ConvBenchmark {
  @Param({
    "3-16-32-3-1",
    "16-16-32-3-1",
    "16-32-32-3-2",
    "32-32-16-3-1",
    "32-64-16-3-2",
    "64-64-8-3-1",
    "16-32-32-1-2",
    "32-64-16-1-2"
  })
  public String shape;

  @Param("128")
  public int batch;

  private final CpuBackend backend = CpuBackend.get();
  private ConvGeometry g;
  private Tensor x;
  private Tensor w;
  private Tensor y;
  private Tensor dY;
  private Tensor dX;
  private Tensor dW;

  @Setup
  public void setUp() {
    String[] f = shape.split("-");
    int c = Integer.parseInt(f[0]);
    int k = Integer.parseInt(f[1]);
    int hw = Integer.parseInt(f[2]);
    int r = Integer.parseInt(f[3]);
    int stride = Integer.parseInt(f[4]);
    g = ConvGeometry.square(batch, c, hw, hw, r, stride, (r - 1) / 2);
    Rng rng = new Rng(1);
    x = Tensor.uniform(rng, -1f, 1f, batch, c, hw, hw);
    w = Tensor.uniform(rng, -1f, 1f, k, c, r, r);
    y = Tensor.zeros(batch, k, g.p(), g.q());
    dY = Tensor.uniform(rng, -1f, 1f, batch, k, g.p(), g.q());
    dX = Tensor.zeros(batch, c, hw, hw);
    dW = Tensor.zeros(k, c, r, r);
  }

  @Benchmark
  public Tensor forward() {
    backend.conv2d(x, w, y, g);
    return y;
  }

  @Benchmark
  public Tensor backwardData() {
    backend.conv2dBackwardData(dY, w, dX, g);
    return dX;
  }

  @Benchmark
  public Tensor backwardWeight() {
    backend.conv2dBackwardWeight(x, dY, dW, g);
    return dW;
  }
}
