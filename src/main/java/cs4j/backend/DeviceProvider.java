package cs4j.backend;

import cs4j.tensor.Device;

/**
 * A kind of device beside the CPU ({@code cuda}, or a test device), found by {@link Devices}
 * through {@link java.util.ServiceLoader} ({@code META-INF/services/cs4j.backend.DeviceProvider}).
 * Opening a device registers its {@link Backend}.
 */
public interface DeviceProvider {
  /**
   * The kind's name, the part of a device name before the colon: {@code cuda} in {@code cuda:1}.
   */
  String kind();

  /**
   * Device {@code index} of this kind, started on first use; throws {@link
   * DeviceUnavailableException} with the probe's reason when it cannot be used here (no driver
   * library, no such device, driver too old).
   */
  Device open(int index);
}
