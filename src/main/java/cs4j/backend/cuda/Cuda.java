package cs4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import cs4j.backend.DeviceUnavailableException;
import java.util.HashMap;
import java.util.Map;
import jcuda.CudaException;
import jcuda.driver.JCudaDriver;

/**
 * Whether CUDA can be used here, and the CUDA devices. The probe never throws: a machine without
 * the NVIDIA driver ({@code libcuda.so.1}) gets a reason string instead, which tests turn into a
 * skip message and the command line into its error for {@code --device cuda}.
 *
 * <p>System properties: {@code cs4j.cuda.disable=true} reports CUDA as unavailable; {@code
 * cs4j.cuda.gemm=auto|cublas|kernels} chooses the GEMM path; {@code cs4j.cuda.syncEachLaunch=true}
 * waits after every kernel so that an asynchronous fault is reported with the kernel that caused
 * it.
 */
public final class Cuda {
  /**
   * The driver version our PTX needs: nvcc 13 writes PTX ISA 9.0, which drivers before 580 (CUDA
   * 13.0) cannot JIT.
   */
  static final int MIN_DRIVER_VERSION = 13000;

  /** The outcome of probing for CUDA: available, or why not; {@code devices} found. */
  public record Probe(boolean available, String reason, int devices) {}

  private static Probe probe;
  private static final Map<Integer, CudaBackend> BACKENDS = new HashMap<>();

  private Cuda() {}

  /** Initialises the driver once and reports whether cs4j's kernels can run here. */
  public static synchronized Probe probe() {
    if (probe == null) {
      probe = runProbe();
    }
    return probe;
  }

  public static boolean isAvailable() {
    return probe().available();
  }

  /** CUDA device 0, starting its backend on first use; throws when unavailable. */
  public static CudaDevice device() {
    return backend(0).device();
  }

  /** {@link #backend(int)} of device 0. */
  public static CudaBackend backend() {
    return backend(0);
  }

  /**
   * The backend of CUDA device {@code ordinal}, created and registered with {@code
   * Backend.register} on first use; {@link DeviceUnavailableException} with the probe's reason when
   * CUDA or that device cannot be used.
   */
  public static synchronized CudaBackend backend(int ordinal) {
    CudaBackend b = BACKENDS.get(ordinal);
    if (b == null) {
      Probe p = probe();
      if (!p.available()) {
        throw new DeviceUnavailableException("CUDA is not available: " + p.reason());
      }
      if (ordinal < 0 || ordinal >= p.devices()) {
        throw new DeviceUnavailableException(
            "no CUDA device "
                + ordinal
                + ": the driver reports "
                + p.devices()
                + " (cuda:0 to cuda:"
                + (p.devices() - 1)
                + ")");
      }
      b = new CudaBackend(new CudaContext(ordinal));
      cs4j.backend.Backend.register(b);
      BACKENDS.put(ordinal, b);
    }
    return b;
  }

  private static Probe runProbe() {
    if (Boolean.getBoolean("cs4j.cuda.disable")) {
      return new Probe(false, "disabled by the system property cs4j.cuda.disable", 0);
    }
    try {
      JCudaDriver.setExceptionsEnabled(true);
      cuInit(0);
      int[] count = new int[1];
      cuDeviceGetCount(count);
      if (count[0] == 0) {
        return new Probe(false, "the NVIDIA driver reports no CUDA device", 0);
      }
      int[] version = new int[1];
      cuDriverGetVersion(version);
      if (version[0] < MIN_DRIVER_VERSION) {
        return new Probe(
            false,
            "the driver supports CUDA "
                + version[0] / 1000
                + "."
                + version[0] % 1000 / 10
                + ", cs4j's PTX (nvcc 13) needs CUDA 13.0 (driver >= 580)",
            count[0]);
      }
      return new Probe(true, count[0] + " CUDA device(s)", count[0]);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      return new Probe(false, "the CUDA driver library cannot be loaded: " + firstLine(e), 0);
    } catch (CudaException e) {
      return new Probe(false, "CUDA driver initialisation failed: " + firstLine(e), 0);
    }
  }

  /**
   * One line out of JCuda's multi-line load errors: the dynamic loader's own complaint when there
   * is one ("libcuda.so.1: cannot open shared object file: ..."), else the first line.
   */
  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    for (String line : m.split("\n")) {
      int at = line.indexOf("cannot open shared object file");
      if (at >= 0) {
        String head = line.substring(0, at);
        int so = head.lastIndexOf(".so: ");
        return (so >= 0 ? line.substring(so + 5) : line).trim();
      }
    }
    int nl = m.indexOf('\n');
    return e.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
  }
}
