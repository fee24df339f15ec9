package cs4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
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
 * Device 0's primary context (the one the CUDA runtime and cuBLAS also use) and the one stream on
 * which every copy and kernel of the backend is issued, in order.
 */
final class CudaContext {
  final CUdevice device = new CUdevice();
  final CUcontext context = new CUcontext();
  final CUstream stream = new CUstream();
  final String name;
  final int smCount;
  final int computeMajor;
  final int computeMinor;
  final long totalMemory;
  final int driverVersion;

  /** The thread's current context as this class last set it (cuCtxSetCurrent is per thread). */
  private static final ThreadLocal<CUcontext> CURRENT = new ThreadLocal<>();

  /** Opens device 0; the driver must already be initialised ({@link Cuda#probe()}). */
  CudaContext() {
    cuDeviceGet(device, 0);
    cuDevicePrimaryCtxRetain(context, device);
    makeCurrent();
    cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
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

  /** Waits for everything issued so far. */
  void synchronize() {
    makeCurrent();
    cuStreamSynchronize(stream);
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
