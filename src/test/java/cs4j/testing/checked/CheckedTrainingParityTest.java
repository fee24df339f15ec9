package cs4j.testing.checked;

import cs4j.tensor.Device;
import cs4j.testing.TrainingParityContract;

/**
 * The device parity contract on the checked device, which runs the CPU kernels: every comparison is
 * bit for bit, and the harness the GPU runs ({@code CudaTrainingTest}) is exercised in CI.
 */
class CheckedTrainingParityTest extends TrainingParityContract {
  @Override
  protected Device device() {
    return CheckedDeviceProvider.device();
  }

  @Override
  protected boolean exact() {
    return true;
  }
}
