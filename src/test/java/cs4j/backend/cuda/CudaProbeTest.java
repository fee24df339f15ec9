package cs4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The probe's reasons (no GPU needed). */
class CudaProbeTest {
  @Test
  void probeNeverThrowsAndAlwaysGivesAReason() {
    Cuda.Probe p = Cuda.probe();
    assertFalse(p.reason().isBlank(), "probe reason");
  }

  @Test
  void loaderErrorsAreCutToTheLoadersComplaint() {
    UnsatisfiedLinkError e =
        new UnsatisfiedLinkError(
            "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so:"
                + " libcuda.so.1: cannot open shared object file: No such file or directory\n");
    assertEquals(
        "libcuda.so.1: cannot open shared object file: No such file or directory",
        Cuda.firstLine(e));
    assertEquals(
        "UnsatisfiedLinkError: something else",
        Cuda.firstLine(new UnsatisfiedLinkError("something else\nmore")));
  }
}
