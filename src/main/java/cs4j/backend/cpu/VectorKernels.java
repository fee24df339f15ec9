package cs4j.backend.cpu;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Chooses between the SIMD kernels (jdk.incubator.vector) and their plain-Java twins. The SIMD
 * classes are loaded by name, so nothing else in this package links against the incubator module
 * and the library runs without it. They are chosen when the JVM was started with {@code
 * --add-modules jdk.incubator.vector} and the system property {@code cs4j.vector} is not {@code
 * false}. Without the module the fallback is 12–15× slower at GEMM (benchmarks/RESULTS.md), so the
 * first fallback for that reason logs one warning saying how to enable it.
 */
final class VectorKernels {
  static final String MODULE = "jdk.incubator.vector";

  private static final AtomicBoolean warned = new AtomicBoolean();

  private VectorKernels() {}

  /** True when the incubator module is in the boot layer. */
  static boolean moduleEnabled() {
    return ModuleLayer.boot().findModule(MODULE).isPresent();
  }

  /**
   * An instance of the SIMD class {@code simdClass} (a simple name in this package) when the module
   * is enabled, not switched off, and the class loads; otherwise {@code fallback}'s kernel.
   */
  static <T> T choose(Class<T> type, String simdClass, Supplier<T> fallback) {
    if ("false".equalsIgnoreCase(System.getProperty("cs4j.vector"))) {
      return fallback.get();
    }
    if (!moduleEnabled()) {
      warnOnce();
      return fallback.get();
    }
    try {
      return type.cast(
          Class.forName(VectorKernels.class.getPackageName() + "." + simdClass)
              .getDeclaredConstructor()
              .newInstance());
    } catch (ReflectiveOperationException | LinkageError e) {
      // The module is there but the kernel refuses this machine (e.g. vectors too narrow).
      return fallback.get();
    }
  }

  private static void warnOnce() {
    if (warned.compareAndSet(false, true)) {
      System.getLogger("cs4j")
          .log(
              Level.WARNING,
              "cs4j: the JVM runs without "
                  + MODULE
                  + ", so the CPU kernels run in plain Java (GEMM about 15x slower). Start java"
                  + " with --add-modules "
                  + MODULE
                  + " (or -Dcs4j.vector=false to choose the plain kernels quietly).");
    }
  }
}
