package cs4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class VectorKernelsTest {
  @Test
  void choosesTheSimdKernelWhenTheModuleIsEnabled() {
    assumeTrue(VectorKernels.moduleEnabled(), "surefire adds --add-modules jdk.incubator.vector");
    GemmKernel k =
        VectorKernels.choose(GemmKernel.class, "VectorGemmKernel", ScalarGemmKernel::new);
    assertEquals(VectorGemmKernel.class, k.getClass());
  }

  @Test
  void theSystemPropertyForcesThePlainKernel() {
    String before = System.getProperty("cs4j.vector");
    System.setProperty("cs4j.vector", "false");
    try {
      GemmKernel k =
          VectorKernels.choose(GemmKernel.class, "VectorGemmKernel", ScalarGemmKernel::new);
      assertEquals(ScalarGemmKernel.class, k.getClass());
    } finally {
      if (before == null) {
        System.clearProperty("cs4j.vector");
      } else {
        System.setProperty("cs4j.vector", before);
      }
    }
  }

  @Test
  void aKernelThatDoesNotLoadFallsBack() {
    GemmKernel k = VectorKernels.choose(GemmKernel.class, "NoSuchKernel", ScalarGemmKernel::new);
    assertEquals(ScalarGemmKernel.class, k.getClass());
  }
}
