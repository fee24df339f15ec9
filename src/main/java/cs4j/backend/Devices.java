package cs4j.backend;

import cs4j.backend.cpu.CpuBackend;
import cs4j.tensor.Device;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Devices by name: {@code cpu}, or {@code KIND} / {@code KIND:N} for a kind some {@link
 * DeviceProvider} on the class path offers ({@code cuda}, {@code cuda:1}; {@code cuda} means {@code
 * cuda:0}). The one place that turns a user's device name into a device, so that nothing above the
 * backends names a concrete backend.
 */
public final class Devices {
  private static final Map<String, DeviceProvider> PROVIDERS = load();

  private Devices() {}

  private static Map<String, DeviceProvider> load() {
    Map<String, DeviceProvider> m = new LinkedHashMap<>();
    for (DeviceProvider p :
        ServiceLoader.load(DeviceProvider.class, Devices.class.getClassLoader())) {
      m.put(p.kind(), p);
    }
    return m;
  }

  /**
   * The device called {@code name}; throws {@link IllegalArgumentException} for a name no provider
   * knows, and {@link DeviceUnavailableException} (with the reason) for one that cannot be used.
   */
  public static Device get(String name) {
    Name parsed = parse(name);
    return parsed.provider() == null ? Device.CPU : parsed.provider().open(parsed.index());
  }

  /**
   * Checks that {@code name} names a device some provider offers, without starting it (a Spark
   * driver checks its executors' {@code --device} so, on a machine that may have no GPU itself);
   * throws {@link IllegalArgumentException} as {@link #get} does.
   */
  public static void checkName(String name) {
    parse(name);
  }

  /** A parsed device name: its provider (null for the CPU) and index. */
  private record Name(DeviceProvider provider, int index) {}

  private static Name parse(String name) {
    String spec = name.trim();
    if (spec.equals("cpu")) {
      return new Name(null, 0);
    }
    int colon = spec.indexOf(':');
    String kind = colon < 0 ? spec : spec.substring(0, colon);
    DeviceProvider p = PROVIDERS.get(kind);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown device '" + name + "'; known devices: " + String.join(", ", kinds()));
    }
    int index = 0;
    if (colon >= 0) {
      try {
        index = Integer.parseInt(spec.substring(colon + 1));
      } catch (NumberFormatException e) {
        index = -1;
      }
      if (index < 0) {
        throw new IllegalArgumentException(
            "device '" + name + "': the index after '" + kind + ":' must be a number >= 0");
      }
    }
    return new Name(p, index);
  }

  /** The device names this class path offers: cpu, then each provider's kind as KIND[:N]. */
  public static TreeSet<String> kinds() {
    TreeSet<String> out = new TreeSet<>();
    out.add("cpu");
    PROVIDERS.keySet().forEach(k -> out.add(k + "[:N]"));
    return out;
  }

  /** How many threads the CPU kernels split their work over. */
  public static int cpuThreads() {
    return CpuBackend.get().threads();
  }

  /**
   * Sets the CPU kernels' thread count for the whole process ({@code --threads}); results do not
   * depend on it, only speed.
   */
  public static void setCpuThreads(int threads) {
    CpuBackend.setThreads(threads);
  }

  /** One line on the device and its backend: what runs the kernels (printed at start-up). */
  public static String describe(Device device) {
    return device.name() + ": " + Backend.of(device).describe();
  }
}
