package cs4j.backend.cuda;

import cs4j.backend.DeviceProvider;
import cs4j.tensor.Device;

/** The {@code cuda} devices for {@link cs4j.backend.Devices}: {@code cuda:N} is GPU N. */
public final class CudaProvider implements DeviceProvider {
  @Override
  public String kind() {
    return "cuda";
  }

  @Override
  public Device open(int index) {
    return Cuda.backend(index).device();
  }
}
