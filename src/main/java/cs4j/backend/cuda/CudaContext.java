package cs4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;

/**
 * One GPU's primary context (the one the CUDA runtime and cuBLAS also use) and the streams its work
 * is issued on: each thread that uses the device gets a stream of its own, on which its copies and
 * kernels run in issue order. Searches running on separate threads therefore overlap on the GPU,
 * while each one's work stays ordered without host waits.
 *
 * <p>NOTE: a tensor is used on the thread that allocated it. Handing device tensors to another
 * thread needs {@link #synchronize()} on the first thread, since the streams are not ordered with
 * each other.
 */
final class CudaContext {
  final int ordinal;
  final CUdevice device = new CUdevice();
  final CUcontext context = new CUcontext();
  final String name;
  final int smCount;
  final int computeMajor;
  final int computeMinor;
  final long totalMemory;
  final int driverVersion;

  /** The thread's current context as this class last set it (cuCtxSetCurrent is per thread). */
  private static final ThreadLocal<CUcontext> CURRENT = new ThreadLocal<>();

  /** Each thread's stream on this device, created on first use. */
  private final ThreadLocal<CUstream> streams = ThreadLocal.withInitial(this::newStream);

  /**
   * Opens device {@code ordinal}; the driver must already be initialised ({@link Cuda#probe()}).
   */
  CudaContext(int ordinal) {
    this.ordinal = ordinal;
    cuDeviceGet(device, ordinal);
    cuDevicePrimaryCtxRetain(context, device);
    makeCurrent();
    byte[] raw = new byte[256];
    cuDeviceGetName(raw, raw.length, device);
    int len = 0;
    while (len < raw.length && raw[len] != 0) {
      len++;
    }
    name = new String(raw, 0, len, StandardCharsets.US_ASCII);
    smCount = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
    computeMajor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
    computeMinor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
    long[] mem = new long[1];
    cuDeviceTotalMem(mem, device);
    totalMemory = mem[0];
    int[] v = new int[1];
    cuDriverGetVersion(v);
    driverVersion = v[0];
  }

  private int attribute(int which) {
    int[] v = new int[1];
    cuDeviceGetAttribute(v, which, device);
    return v[0];
  }

  /** Makes the primary context current on the calling thread (cheap when it already is). */
  void makeCurrent() {
    if (CURRENT.get() != context) {
      cuCtxSetCurrent(context);
      CURRENT.set(context);
    }
  }

  private CUstream newStream() {
    makeCurrent();
    CUstream s = new CUstream();
    cuStreamCreate(s, CUstream_flags.CU_STREAM_NON_BLOCKING);
    return s;
  }

  /** The calling thread's stream (the context is made current on the thread too). */
  CUstream stream() {
    makeCurrent();
    return streams.get();
  }

  /** Waits for everything the calling thread issued so far. */
  void synchronize() {
    cuStreamSynchronize(stream());
  }

  /** Waits for everything issued on the device, by every thread. */
  void synchronizeDevice() {
    makeCurrent();
    cuCtxSynchronize();
  }

  String describe() {
    return String.format(
        "%s (sm_%d%d, %d SMs, %.1f GiB), driver CUDA %d.%d",
        name,
        computeMajor,
        computeMinor,
        smCount,
        totalMemory / (double) (1L << 30),
        driverVersion / 1000,
        driverVersion % 1000 / 10);
  }
}
