package cs4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.tensor.Device;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The device tests' workload is sound on the CPU (no GPU needed): masks on 20 layers, it learns.
 */
class MaskedResNet20Test {
  @Test
  void everyLayerIsMaskedAndStepsOnOneBatchLowerTheLoss() {
    try (MaskedResNet20 net = new MaskedResNet20(Device.CPU, 1)) {
      assertEquals(20, net.masks().parameters().size(), "19 convolutions and the classifier");
      Tensor[] b = MaskedResNet20.batch(2, 8);
      float first = net.step(b, true).get("loss")[0];
      float last = first;
      for (int s = 0; s < 5; s++) {
        last = net.step(b, true).get("loss")[0];
      }
      // Ten classes from a random start: the loss is near ln 10 ≈ 2.3.
      assertTrue(first > 1.5f && first < 4f, "first loss " + first);
      assertTrue(
          last < first, "six steps on one batch: the loss should fall, " + first + " -> " + last);
    }
  }
}
