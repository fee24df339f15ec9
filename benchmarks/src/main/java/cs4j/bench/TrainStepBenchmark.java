package cs4j.bench;

import cs4j.autograd.Autograd;
import cs4j.nn.Module;
import cs4j.nn.Parameter;
import cs4j.ops.Ops;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.tensor.Device;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import java.util.ArrayList;
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

/**
 * One whole training step (zero grads, forward, cross-entropy [+ CS penalty], backward, SGD) on the
 * same workloads as {@code shared/anchors/torch_anchor.py}: ResNet-20 with option-A shortcuts (or
 * VGG-16), batch 128 of random 3×32×32 images, SGD(lr 0.1, momentum 0.9, weight decay 1e-4).
 * Masked: every conv and the classifier get CS mask logits s = 0 and β = 5, λ = 1e-8, with the
 * fused masked-weight op, as in the anchor. Each step runs in a {@link MemoryScope}, as in {@code
 * Trainer}: on the CPU its buffers come from the thread's pool of the steps before.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TrainStepBenchmark {
  @Param({"resnet20-a"})
  public String model;

  @Param({"128"})
  public int batch;

  @Param({"false", "true"})
  public boolean masked;

  private Module net;
  private Sgd sgd;
  private Tensor x;
  private Tensor y;
  private List<Tensor> penalties; // filled by each forward of a masked network

  @Setup(Level.Trial)
  public void setup() {
    BenchNetworks.Network network = BenchNetworks.create(model, masked);
    net = network.net();
    penalties = network.penalties();
    List<Parameter> masks = network.masks();
    List<ParamGroup> groups = new ArrayList<>();
    groups.add(new ParamGroup(net.parameters(), 0.1, 0.9, 0, 1e-4, false));
    if (!masks.isEmpty()) {
      groups.add(new ParamGroup(masks, 0.1, 0.9, 0, 0, false));
    }
    sgd = new Sgd(groups);
    Rng rng = new Rng(0);
    x = BenchNetworks.images(rng, batch);
    float[] labels = new float[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = rng.nextInt(10);
    }
    y = Tensor.of(labels, batch);
  }

  /** One step in a {@link MemoryScope} of its own, as {@code Trainer} runs it. */
  @Benchmark
  public float step() {
    try (MemoryScope scope = Device.CPU.openScope()) {
      sgd.zeroGrad();
      penalties.clear();
      Tensor loss = Ops.crossEntropy(net.forward(x), y);
      for (Tensor p : penalties) {
        loss = Ops.add(loss, p);
      }
      Autograd.backward(loss);
      sgd.step();
      return loss.item();
    }
  }
}
