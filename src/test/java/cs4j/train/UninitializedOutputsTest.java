package cs4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cs4j.autograd.Autograd;
import cs4j.models.InitScheme;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.nn.Parameter;
import cs4j.ops.Ops;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.sparsity.LayerSelection;
import cs4j.sparsity.MaskLogits;
import cs4j.tensor.Device;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.PoisonedPool;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The safety net of uninitialised op outputs on the CPU ({@link Device#allocateUninitialized}):
 * masked training steps, each in a scope whose pool holds only NaN-poisoned arrays, give the same
 * bits as steps without a scope (fresh zeroed arrays). An op that allocated its output
 * uninitialised but did not overwrite all of it, or read it first, would bring a NaN into the loss,
 * a gradient or the weights.
 */
class UninitializedOutputsTest {
  private static final int STEPS = 3;
  private static final int BATCH = 3; // odd sizes: the vector kernels run their tails too

  /** The losses, then every parameter and buffer after the last step, in a stable order. */
  private static Map<String, float[]> train(String model, InputSpec in, boolean poisonedScopes) {
    Module net = Models.create(model, in, InitScheme.XAVIER_NORMAL, 3, Device.CPU);
    MaskLogits masks = new MaskLogits(net, LayerSelection.CONVS_AND_LINEAR, 0.0, true, 1e-8);
    masks.install();
    List<Parameter> weights =
        net.parameters().stream()
            .filter(p -> masks.parameters().stream().noneMatch(q -> q == p))
            .toList();
    List<Sgd> optimizers =
        List.of(
            new Sgd(ParamGroup.nesterov(weights, 0.1, 0.9, 1e-4)),
            new Sgd(ParamGroup.nesterov(masks.parameters(), 0.1, 0.9, 0)));
    Map<String, float[]> out = new LinkedHashMap<>();
    try {
      for (int s = 0; s < STEPS; s++) {
        Tensor[] batch = batch(in, s);
        if (poisonedScopes) {
          PoisonedPool.poison(); // every array the step reuses holds NaN
          try (MemoryScope step = Device.CPU.openScope()) {
            out.put("loss " + s, step(net, masks, optimizers, batch, s));
          }
        } else {
          out.put("loss " + s, step(net, masks, optimizers, batch, s));
        }
      }
      net.stateDict().forEach((name, t) -> out.put(name, t.toArray()));
      return out;
    } finally {
      optimizers.forEach(Sgd::close);
      net.close();
    }
  }

  private static float[] step(
      Module net, MaskLogits masks, List<Sgd> optimizers, Tensor[] batch, int s) {
    masks.onStepStart(0, s, STEPS);
    Tensor logits = net.forward(batch[0]);
    Tensor loss = Ops.add(Ops.crossEntropy(logits, batch[1]), masks.extraLoss());
    optimizers.forEach(Sgd::zeroGrad);
    Autograd.backward(loss);
    optimizers.forEach(Sgd::step);
    optimizers.forEach(Sgd::zeroGrad); // the gradients die with the step
    return new float[] {loss.item()};
  }

  private static Tensor[] batch(InputSpec in, long seed) {
    Rng rng = new Rng(seed);
    float[] labels = new float[BATCH];
    for (int i = 0; i < BATCH; i++) {
      labels[i] = rng.nextInt(in.classes());
    }
    return new Tensor[] {
      Tensor.uniform(rng, -1f, 1f, BATCH, in.channels(), in.height(), in.width()),
      Tensor.of(labels, BATCH)
    };
  }

  /** ResNet-20 (option-A and 1×1 shortcuts), VGG-11, Conv-4 (max pooling, biases), LeNet-300. */
  @ParameterizedTest
  @CsvSource({
    "resnet20-a, 3, 32",
    "resnet20, 3, 32",
    "vgg11, 3, 32",
    "conv4, 3, 32",
    "lenet300, 1, 28"
  })
  void stepsOnPoisonedPooledArraysGiveTheBitsOfFreshOnes(String model, int channels, int size) {
    InputSpec in = new InputSpec(channels, size, size, 10);
    Map<String, float[]> fresh = train(model, in, false);
    Map<String, float[]> poisoned = train(model, in, true);
    assertEquals(fresh.keySet(), poisoned.keySet());
    fresh.forEach(
        (name, values) -> assertArrayEquals(values, poisoned.get(name), model + " " + name));
  }
}
