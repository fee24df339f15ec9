package cs4j.data;

import static cs4j.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NormalizationTest {
  @Test
  void cifarConstantsAreThoseOfTheReferenceProtocol() {
    assertClose(
        new float[] {0.49137f, 0.48235f, 0.44667f},
        Normalization.CIFAR10.mean(),
        0,
        1e-5,
        "CIFAR-10 mean (125.3, 123.0, 113.9)/255");
    assertClose(
        new float[] {0.24706f, 0.24353f, 0.26157f},
        Normalization.CIFAR10.std(),
        0,
        1e-5,
        "CIFAR-10 std (63.0, 62.1, 66.7)/255");
  }

  @Test
  void lookupTableIsPixelOver255MinusMeanOverStd() {
    Normalization n = new Normalization(new float[] {0.5f, 0.25f}, new float[] {0.5f, 2f});
    float[][] t = n.lookupTable();
    assertClose(new float[] {-1f, 1f}, new float[] {t[0][0], t[0][255]}, 0, 1e-6, "channel 0");
    assertClose(
        new float[] {-0.125f, 0.375f, (51 / 255f - 0.25f) / 2f},
        new float[] {t[1][0], t[1][255], t[1][51]},
        0,
        1e-6,
        "channel 1 at 0, 255, 51");
  }

  @Test
  void statisticsOfADatasetArePerChannel() {
    // Two images of 2 channels × 1 × 2: channel 0 holds 0, 0, 255, 255 (mean ½, std ½); channel 1
    // holds 0, 102, 102, 0 (mean 51/255 = 0.2, std 0.2).
    byte[] pixels = {0, 0, 0, 102, (byte) 255, (byte) 255, 102, 0};
    Dataset d = new Dataset("two", pixels, new int[] {0, 1}, 2, 1, 2, 2);

    Normalization n = Normalization.of(d);
    assertClose(new float[] {0.5f, 0.2f}, n.mean(), 0, 1e-6, "mean");
    assertClose(new float[] {0.5f, 0.2f}, n.std(), 0, 1e-6, "std");
  }

  @Test
  void zeroStdIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Normalization(new float[] {0f}, new float[] {0f}));
  }

  @Test
  void aConstantChannelIsRefusedNamingTheDatasetAndChannel() {
    // Channel 1 is 7 everywhere: there is no spread to divide by.
    byte[] pixels = {0, 7, 9, 7};
    Dataset d = new Dataset("flat", pixels, new int[] {0, 1}, 2, 1, 1, 2);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(d));
    assertTrue(
        e.getMessage().contains("Normalization.of(flat): channel 1 has one value in every pixel"),
        e.getMessage());
  }
}
