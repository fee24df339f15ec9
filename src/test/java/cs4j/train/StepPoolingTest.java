package cs4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.autograd.Autograd;
import cs4j.nn.Parameter;
import cs4j.ops.Ops;
import cs4j.optim.Sgd;
import cs4j.tensor.Device;
import cs4j.tensor.HostStorage;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.Tensor;
import cs4j.testing.MaskedResNet20;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Training steps on the CPU, each in a {@link MemoryScope} as the trainer runs them, take their
 * buffers from the thread's pool: a step's activations and gradients live in the arrays of the step
 * before, and every number is the same, bit for bit, as with plain garbage-collected buffers (no
 * scope).
 */
class StepPoolingTest {
  private static final int STEPS = 3;

  /**
   * What a run of {@link #STEPS} steps gives; arrays.get(s): the logits' and every gradient's array
   * in step s.
   */
  private record Run(List<Float> losses, Map<String, float[]> state, List<List<float[]>> arrays) {}

  private static Run train(boolean scoped) {
    Tensor[] batch = MaskedResNet20.batch(3, 16);
    try (MaskedResNet20 net = new MaskedResNet20(Device.CPU, 11)) {
      List<Float> losses = new ArrayList<>();
      List<List<float[]>> arrays = new ArrayList<>();
      for (int s = 0; s < STEPS; s++) {
        List<float[]> used = new ArrayList<>();
        if (scoped) {
          try (MemoryScope step = Device.CPU.openScope()) {
            losses.add(step(net, batch, s, used));
          }
        } else {
          losses.add(step(net, batch, s, used));
        }
        arrays.add(used);
      }
      return new Run(losses, net.state(), arrays);
    }
  }

  private static float step(MaskedResNet20 net, Tensor[] batch, int s, List<float[]> used) {
    net.masks().onStepStart(0, s, STEPS);
    Tensor logits = net.model().forward(batch[0]);
    Tensor loss = Ops.add(Ops.crossEntropy(logits, batch[1]), net.masks().extraLoss());
    net.optimizers().forEach(Sgd::zeroGrad);
    Autograd.backward(loss);
    net.optimizers().forEach(Sgd::step);
    used.add(((HostStorage) logits.storage()).data());
    for (Parameter p : net.model().parameters()) {
      used.add(((HostStorage) p.grad().storage()).data());
    }
    float value = loss.item();
    net.optimizers().forEach(Sgd::zeroGrad); // the gradients die with the step
    return value;
  }

  @Test
  void pooledStepsReuseTheStepBeforesArraysAndGiveTheSameBits() {
    Run plain = train(false);
    Run pooled = train(true);
    assertEquals(plain.losses(), pooled.losses());
    assertEquals(plain.state().keySet(), pooled.state().keySet());
    plain.state().forEach((name, values) -> assertArrayEquals(values, pooled.state().get(name)));
    for (int s = 1; s < STEPS; s++) {
      List<float[]> before = pooled.arrays().get(s - 1);
      List<float[]> now = pooled.arrays().get(s);
      for (int i = 0; i < now.size(); i++) {
        assertTrue(before.get(i) == now.get(i), "step " + s + ", array " + i + " is not reused");
      }
    }
  }
}
