package cs4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.autograd.Autograd;
import cs4j.backend.Devices;
import cs4j.models.InitScheme;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.ops.Ops;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.tensor.Device;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The README's "Devices" example, verbatim ({@link #trainOn}), run on the checked test device: it
 * places everything on the device it is given and leaves no device memory behind.
 */
class ReadmeDeviceExampleTest {
  static float trainOn(Device device) {
    Module net =
        Models.create("resnet20-a", InputSpec.CIFAR10, InitScheme.XAVIER_NORMAL, 1, device);
    Sgd sgd = new Sgd(ParamGroup.nesterov(net.parameters(), 0.1, 0.9, 1e-4)); // momentum on device
    Rng rng = new Rng(7);
    float loss = Float.NaN;
    for (int step = 0; step < 2; step++) {
      Tensor images = Tensor.normal(rng, 0f, 1f, 8, 3, 32, 32); // a batch, built on the host
      Tensor labels = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 8);
      try (MemoryScope scope = device.openScope()) { // frees the step's activations and gradients
        sgd.zeroGrad();
        Tensor l = Ops.crossEntropy(net.forward(images.to(device)), labels.to(device));
        Autograd.backward(l); // refuses a NaN loss before any gradient
        sgd.step();
        loss = l.item(); // a read waits for the device
      }
    }
    sgd.close(); // returns the momentum's device memory
    net.close(); // and the network's
    return loss;
  }

  @Test
  void theExampleRunsOnADeviceAndLeavesNothingBehind() {
    Device device = Devices.get("checked"); // in the README: Devices.get("cuda")
    long before = device.liveBytes();
    float loss = trainOn(device);
    assertTrue(Float.isFinite(loss) && loss > 0, "loss " + loss);
    assertEquals(before, device.liveBytes(), "device bytes after the example");
  }
}
