package cs4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped PTX (no GPU needed): every module is in the jar and its entries parse. */
class PtxSignaturesTest {
  private static PtxSignatures module(String name) {
    byte[] text = CudaModules.ptx(name);
    assertEquals(0, text[text.length - 1], name + ".ptx must be NUL-terminated for the driver");
    return new PtxSignatures(new String(text, 0, text.length - 1, StandardCharsets.US_ASCII));
  }

  @Test
  void everyModuleShipsWithItsKernels() {
    Map<String, Integer> expectedCounts =
        Map.of(
            "elementwise", 10,
            "mask", 3,
            "reduce", 3,
            "batchnorm", 7,
            "pooling", 6,
            "loss", 3,
            "optim", 1,
            "gemm", 4,
            "conv", 9);
    for (String m : CudaModules.MODULES) {
      assertEquals(
          expectedCounts.get(m), module(m).entries().size(), "kernel count of " + m + ".ptx");
    }
  }

  @Test
  void parsesParameterTypes() {
    assertEquals(
        List.of("f32", "u64", "f32", "u64", "u64", "u32"),
        module("elementwise").entries().get("cs4j_axpby"));
    assertEquals(
        List.of("u64", "u32", "f64", "u64"), module("reduce").entries().get("cs4j_sum_finish"));
    assertTrue(module("conv").entries().containsKey("cs4j_conv_bwd_weight_128x16"));
  }

  @Test
  void rejectsWrongArgumentCountAndType() {
    PtxSignatures sig = module("elementwise");
    Tensor t = Tensor.zeros(4);
    sig.check("elementwise", "cs4j_axpby", new Object[] {1f, t, 2f, t, t, 4});
    IllegalArgumentException count =
        assertThrows(
            IllegalArgumentException.class,
            () -> sig.check("elementwise", "cs4j_axpby", new Object[] {1f, t, 2f, t, t}));
    assertTrue(count.getMessage().contains("takes 6 arguments"), count.getMessage());
    IllegalArgumentException type =
        assertThrows(
            IllegalArgumentException.class,
            () -> sig.check("elementwise", "cs4j_axpby", new Object[] {1.0, t, 2f, t, t, 4}));
    assertTrue(type.getMessage().contains("argument 0 is .f32"), type.getMessage());
  }
}
