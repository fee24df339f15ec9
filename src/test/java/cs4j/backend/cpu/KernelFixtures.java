package cs4j.backend.cpu;

import cs4j.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared inputs for the fast-kernel tests: random arrays and every GEMM kernel this JVM can run.
 */
final class KernelFixtures {
  private KernelFixtures() {}

  /** Uniform in [-1, 1). */
  static float[] uniform(Rng rng, int size) {
    float[] a = new float[size];
    for (int i = 0; i < a.length; i++) {
      a[i] = 2f * rng.nextFloat() - 1f;
    }
    return a;
  }

  /**
   * The plain-Java kernel always; the SIMD kernel too when the JVM has jdk.incubator.vector (the
   * test JVM gets it from the pom's surefire argLine).
   */
  static List<GemmKernel> kernels() {
    List<GemmKernel> all = new ArrayList<>();
    all.add(new ScalarGemmKernel());
    GemmKernel best = CpuGemm.defaultKernel();
    if (!(best instanceof ScalarGemmKernel)) {
      all.add(best);
    }
    return all;
  }
}
