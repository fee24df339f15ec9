package cs4j.testing.checked;

import cs4j.backend.Backend;
import cs4j.backend.DeviceProvider;
import cs4j.tensor.Device;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code checked} devices of the test class path ({@code checked}, {@code checked:N}), found by
 * {@link cs4j.backend.Devices} like {@code cuda}, so the command line runs on them too.
 */
public final class CheckedDeviceProvider implements DeviceProvider {
  private static final Map<Integer, CheckedDevice> DEVICES = new HashMap<>();

  @Override
  public String kind() {
    return "checked";
  }

  @Override
  public Device open(int index) {
    return device(index);
  }

  /** Checked device {@code index}, created and its backend registered on first use. */
  public static synchronized CheckedDevice device(int index) {
    return DEVICES.computeIfAbsent(
        index,
        i -> {
          CheckedDevice d = new CheckedDevice(i);
          Backend.register(d.backend());
          return d;
        });
  }

  /** Checked device 0. */
  public static CheckedDevice device() {
    return device(0);
  }
}
