package cs4j.bench;

import cs4j.autograd.Graph;
import cs4j.nn.Module;
import cs4j.tensor.Device;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * One forward pass in eval mode without gradients (batch norm on its running statistics), as the
 * anchor's {@code infer_bench} times it under {@code torch.no_grad()}: ResNet-20 with option-A
 * shortcuts (or VGG-16) on a batch of random 3×32×32 images; masked, the mask is applied in every
 * forward, as in the anchor. images/s = batch / time. Each forward runs in a {@link MemoryScope},
 * as in {@code Evaluation}: on the CPU its buffers come from the thread's pool.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class InferenceBenchmark {
  @Param({"resnet20-a"})
  public String model;

  @Param({"256"})
  public int batch;

  @Param({"false", "true"})
  public boolean masked;

  private Module net;
  private List<Tensor> penalties; // filled by each forward of a masked network
  private Tensor x;

  @Setup(Level.Trial)
  public void setup() {
    BenchNetworks.Network network = BenchNetworks.create(model, masked);
    net = network.net();
    penalties = network.penalties();
    net.eval();
    x = BenchNetworks.images(new Rng(0), batch);
  }

  /** One batch in a {@link MemoryScope} of its own, as {@code Evaluation} runs it. */
  @Benchmark
  public void forward(Blackhole out) {
    penalties.clear();
    try (var noGrad = Graph.noGrad();
        MemoryScope scope = Device.CPU.openScope()) {
      out.consume(net.forward(x)); // [batch, 10]
    }
  }
}
