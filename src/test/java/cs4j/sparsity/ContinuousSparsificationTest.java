package cs4j.sparsity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cs4j.backend.Backend;
import cs4j.nn.Module;
import cs4j.nn.Parameter;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The pieces of CS: temperature schedules, the mask scale, soft resets, ticket extraction. */
class ContinuousSparsificationTest {
  @Test
  void betaPerEpochGoesFromOneToBetaFinalGeometrically() {
    int epochs = 85;
    assertEquals(1.0, MaskLogits.betaAtEpoch(200, 0, epochs), 0);
    assertEquals(200.0, MaskLogits.betaAtEpoch(200, 84, epochs), 1e-9);
    double ratio = Math.pow(200, 1.0 / 84);
    for (int e = 1; e < epochs; e++) {
      assertEquals(
          ratio,
          MaskLogits.betaAtEpoch(200, e, epochs) / MaskLogits.betaAtEpoch(200, e - 1, epochs),
          1e-12,
          "constant factor 200^(1/84) at epoch " + e);
    }
    assertEquals(Math.sqrt(200), MaskLogits.betaAtEpoch(200, 2, 5), 1e-9);
  }

  @Test
  void betaPerIterationReachesBetaFinalAtTheLastStep() {
    assertEquals(1.0, MaskLogits.betaAtIteration(200, 0, 1000), 0);
    assertEquals(200.0, MaskLogits.betaAtIteration(200, 999, 1000), 1e-9);
    assertEquals(Math.pow(200, 0.5), MaskLogits.betaAtIteration(200, 500, 1001), 1e-9);
  }

  @Test
  void scaleMakesTheInitialSoftMaskExactlyOne() {
    assertEquals(2.0, MaskLogits.scale(0.0), 0);
    for (double s0 : new double[] {-0.1, 0.1, -1}) {
      double sigma = 1 / (1 + Math.exp(-s0));
      assertEquals(1.0, MaskLogits.scale(s0) * sigma, 1e-12, "c·σ(s0) at s0 = " + s0);
    }
  }

  private static MaskLogits logits(Module net, double s0, boolean scale) {
    return new MaskLogits(net, LayerSelection.CONVS_AND_LINEAR, s0, scale, 1e-8);
  }

  private static void setConvLogits(MaskLogits m, float... values) {
    Parameter s = m.byLayer().get("conv");
    float[] all = new float[s.numel()];
    System.arraycopy(values, 0, all, 0, values.length);
    Backend.of(s.value().device()).copy(Tensor.of(all, s.value().shape().dims()), s.value());
  }

  private static float[] convLogits(MaskLogits m, int n) {
    float[] s = m.byLayer().get("conv").value().toArray();
    return java.util.Arrays.copyOf(s, n);
  }

  @Test
  void logitsAreAttachedUnderTheReferenceNameAndStartAtS0() {
    TinyNet net = new TinyNet(1);
    MaskLogits m = logits(net, -0.1, true);
    assertEquals(-0.1f, net.stateDict().get("conv.mask_weight").toArray()[5]);
    assertEquals(228, net.stateDict().get("conv.mask_weight").numel() + 192);
    assertEquals(2, m.parameters().size());
    assertEquals((float) (1 + Math.exp(0.1)), m.c());
    assertEquals(1f, logits(new TinyNet(1), -0.1, false).c(), "c = 1 when the flag is off");
  }

  @Test
  void softResetRulesAsTheReferenceCodeAndAsThePaper() {
    float[] s = {-2f, -0.05f, 0f, 0.01f, 0.3f};
    MaskLogits ref = logits(new TinyNet(1), -0.1, true);
    setConvLogits(ref, s);
    ref.softReset(ContinuousSparsification.SoftReset.REFERENCE_CODE, 200);
    // min(s, s0) with s0 = -0.1 (remaining entries were 0 → -0.1 as well)
    assertArrayEquals(new float[] {-2f, -0.1f, -0.1f, -0.1f, -0.1f}, convLogits(ref, 5));

    MaskLogits paper = logits(new TinyNet(1), -0.1, true);
    setConvLogits(paper, s);
    paper.softReset(ContinuousSparsification.SoftReset.PAPER, 200);
    // min(200·s, s0)
    assertArrayEquals(new float[] {-400f, -0.1f * 100, -0.1f, -0.1f, -0.1f}, convLogits(paper, 5));
  }

  @Test
  void ticketKeepsExactlyThePositiveLogits() {
    MaskLogits m = logits(new TinyNet(1), 0.0, true);
    setConvLogits(m, -1f, 0f, 1e-7f, 3f, -0f);
    Masks t = m.ticket("tiny");
    float[] conv = java.util.Arrays.copyOf(t.get("conv").toArray(), 5);
    assertArrayEquals(new float[] {0f, 0f, 1f, 1f, 0f}, conv, "1[s > 0]; s = 0 is pruned");
    assertEquals(2, t.remaining("conv"));
    assertEquals(0, t.remaining("fc"), "fc logits are all 0 = s0: pruned");
  }
}
