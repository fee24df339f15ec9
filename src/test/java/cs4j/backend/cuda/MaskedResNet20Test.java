package cs4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.tensor.Device;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The GPU tests' workload is sound on the CPU (no GPU needed): two small steps train. */
class MaskedResNet20Test {
  @Test
  void twoCpuStepsGiveAFiniteFallingLoss() {
    MaskedResNet20 model = new MaskedResNet20(Device.CPU, 1);
    assertEquals(20, model.weights().size(), "19 convolutions and the classifier are masked");
    Rng rng = new Rng(2);
    Tensor x = Tensor.uniform(rng, -1f, 1f, 4, 3, 32, 32);
    Tensor y = Tensor.of(new float[] {0, 3, 7, 9}, 4);
    float first = model.step(x, y);
    float second = model.step(x, y);
    // Ten classes from a random start: the loss is near ln 10 ≈ 2.3.
    assertTrue(first > 1.5f && first < 4f, "first loss " + first);
    assertNotEquals(first, second, "a step must change the loss");
    assertTrue(
        second < first, "the same batch again: loss should fall, " + first + " -> " + second);
    assertEquals(
        model.weights().size() * 2 + 2 * 19 + 1,
        model.momentumBuffers().size(),
        "one momentum buffer per weight, mask, BN parameter and the classifier bias");
  }
}
