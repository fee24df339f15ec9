package cs4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import jcuda.CudaException;
import jcuda.driver.JCudaDriver;

/**
 * Whether CUDA can be used here, and the shared CUDA device. The probe never throws: a machine
 * without the NVIDIA driver ({@code libcuda.so.1}) gets a reason string instead, which tests turn
 * into a skip message.
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

  /** The outcome of probing for CUDA: available, or why not. */
  public record Probe(boolean available, String reason) {}

  private static Probe probe;
  private static CudaBackend backend;

  private Cuda() {}

  /** Initialises the driver once and reports whether device 0 can run cs4j's kernels. */
  public static synchronized Probe probe() {
    if (probe == null) {
      probe = runProbe();
    }
    return probe;
  }

  public static boolean isAvailable() {
    return probe().available();
  }

  /** The CUDA device (device 0), starting the backend on first use; throws when unavailable. */
  public static CudaDevice device() {
    return backend().device();
  }

  /** The CUDA backend, created and registered with {@code Backend.register} on first use. */
  public static synchronized CudaBackend backend() {
    if (backend == null) {
      Probe p = probe();
      if (!p.available()) {
        throw new IllegalStateException("CUDA is not available: " + p.reason());
      }
      backend = new CudaBackend(new CudaContext());
      cs4j.backend.Backend.register(backend);
    }
    return backend;
  }

  private static Probe runProbe() {
    if (Boolean.getBoolean("cs4j.cuda.disable")) {
      return new Probe(false, "disabled by the system property cs4j.cuda.disable");
    }
    try {
      JCudaDriver.setExceptionsEnabled(true);
      cuInit(0);
      int[] count = new int[1];
      cuDeviceGetCount(count);
      if (count[0] == 0) {
        return new Probe(false, "the NVIDIA driver reports no CUDA device");
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
                + ", cs4j's PTX (nvcc 13) needs CUDA 13.0 (driver >= 580)");
      }
      return new Probe(true, count[0] + " CUDA device(s), using device 0");
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      return new Probe(false, "the CUDA driver library cannot be loaded: " + firstLine(e));
    } catch (CudaException e) {
      return new Probe(false, "CUDA driver initialisation failed: " + firstLine(e));
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
