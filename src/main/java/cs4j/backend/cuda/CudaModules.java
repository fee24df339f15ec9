package cs4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import jcuda.CudaException;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * The PTX modules shipped in the jar ({@code cs4j/kernels/<module>.ptx}, built from {@code
 * kernels/<module>.cu}), JIT-compiled by the driver when loaded, and their kernels by name.
 */
final class CudaModules {
  /** Every module, loaded up front so that a JIT failure shows at start-up, not mid-training. */
  static final String[] MODULES = {
    "elementwise", "mask", "reduce", "batchnorm", "pooling", "loss", "optim", "gemm", "conv"
  };

  private final CudaContext ctx;
  private static final Map<String, PtxSignatures> SIGNATURES = new HashMap<>();

  private final Map<String, CUmodule> modules = new HashMap<>();
  private final Map<String, CUfunction> functions = new HashMap<>();

  CudaModules(CudaContext ctx) {
    this.ctx = ctx;
    ctx.makeCurrent();
    for (String m : MODULES) {
      CUmodule module = new CUmodule();
      try {
        cuModuleLoadData(module, ptx(m));
      } catch (CudaException e) {
        throw new IllegalStateException(
            "CUDA: loading PTX module cs4j/kernels/" + m + ".ptx failed: " + e.getMessage(), e);
      }
      modules.put(m, module);
    }
  }

  /** The module's PTX text as bytes with the terminating NUL cuModuleLoadData requires. */
  static byte[] ptx(String module) {
    String path = "/cs4j/kernels/" + module + ".ptx";
    try (InputStream in = CudaModules.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "CUDA: resource " + path + " is missing from the jar (run kernels/build-ptx.sh)");
      }
      byte[] text = in.readAllBytes();
      return Arrays.copyOf(text, text.length + 1);
    } catch (IOException e) {
      throw new UncheckedIOException("CUDA: reading " + path, e);
    }
  }

  /**
   * Throws unless {@code args} match the parameters of kernel {@code name} in {@code module}, as
   * read from the shipped PTX (no driver needed).
   */
  static void checkArguments(String module, String name, Object[] args) {
    PtxSignatures sig;
    synchronized (SIGNATURES) {
      sig = SIGNATURES.get(module);
      if (sig == null) {
        if (!Arrays.asList(MODULES).contains(module)) {
          throw new IllegalArgumentException("CUDA: no module '" + module + "'");
        }
        byte[] text = ptx(module);
        sig = new PtxSignatures(new String(text, 0, text.length - 1, StandardCharsets.US_ASCII));
        SIGNATURES.put(module, sig);
      }
    }
    sig.check(module, name, args);
  }

  /** The kernel {@code name} of {@code module} (cached). */
  synchronized CUfunction function(String module, String name) {
    String key = module + "/" + name;
    CUfunction f = functions.get(key);
    if (f == null) {
      CUmodule m = modules.get(module);
      if (m == null) {
        throw new IllegalArgumentException("CUDA: no module '" + module + "'");
      }
      f = new CUfunction();
      ctx.makeCurrent();
      try {
        cuModuleGetFunction(f, m, name);
      } catch (CudaException e) {
        throw new IllegalStateException(
            "CUDA: kernel " + name + " not found in module " + module + ": " + e.getMessage(), e);
      }
      functions.put(key, f);
    }
    return f;
  }
}
