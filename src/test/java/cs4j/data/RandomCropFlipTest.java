package cs4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cs4j.tensor.Rng;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomCropFlipTest {
  private static final int C = 2;
  private static final int H = 5;
  private static final int W = 6;
  private static final int PAD = 2;
  private static final byte[] IMAGE = DataFixtures.patternPixels(1, C * H * W); // values 0..59

  @Test
  void centreCropWithoutFlipIsTheImage() {
    assertArrayEquals(IMAGE, crop(PAD, PAD, false));
  }

  @Test
  void everyCornerMatchesPadThenCropThenFlip() {
    for (int top = 0; top <= 2 * PAD; top++) {
      for (int left = 0; left <= 2 * PAD; left++) {
        for (boolean mirror : new boolean[] {false, true}) {
          assertArrayEquals(
              padCropFlip(top, left, mirror),
              crop(top, left, mirror),
              "top " + top + ", left " + left + ", mirror " + mirror);
        }
      }
    }
  }

  @Test
  void shiftMovesPixelsAndFillsZeros() {
    // Corner (0, 0): the image moves PAD down and right; first PAD rows and columns are zero.
    byte[] out = crop(0, 0, false);
    assertEquals(0, out[0]);
    assertEquals(0, out[PAD * W + PAD - 1]);
    assertEquals(IMAGE[0], out[PAD * W + PAD]); // (y, x) = (PAD, PAD) shows source (0, 0)
    assertEquals(IMAGE[H * W + W + 1], out[H * W + (1 + PAD) * W + 1 + PAD], "channel 1");
  }

  @Test
  void flipMirrorsEachRow() {
    byte[] out = crop(PAD, PAD, true);
    for (int c = 0; c < C; c++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          assertEquals(IMAGE[(c * H + y) * W + (W - 1 - x)], out[(c * H + y) * W + x]);
        }
      }
    }
  }

  @Test
  void randomDrawsReachEveryCornerAndBothFlipsDeterministically() {
    RandomCropFlip aug = new RandomCropFlip(PAD, true);
    Set<String> outputs = new HashSet<>();
    Rng rng = new Rng(7);
    for (int k = 0; k < 2000; k++) {
      byte[] out = new byte[IMAGE.length];
      aug.apply(IMAGE, 0, out, 0, C, H, W, rng);
      outputs.add(Arrays.toString(out));
    }
    // 5 × 5 corners × 2 flips, all distinct for this image.
    assertEquals(50, outputs.size());

    byte[] a = new byte[IMAGE.length];
    byte[] b = new byte[IMAGE.length];
    aug.apply(IMAGE, 0, a, 0, C, H, W, new Rng(99));
    aug.apply(IMAGE, 0, b, 0, C, H, W, new Rng(99));
    assertArrayEquals(a, b, "same generator state, same augmentation");
  }

  @Test
  void noFlipOptionNeverMirrors() {
    RandomCropFlip aug = new RandomCropFlip(0, false);
    Rng rng = new Rng(3);
    for (int k = 0; k < 50; k++) {
      byte[] out = new byte[IMAGE.length];
      aug.apply(IMAGE, 0, out, 0, C, H, W, rng);
      assertArrayEquals(IMAGE, out);
    }
  }

  private static byte[] crop(int top, int left, boolean mirror) {
    byte[] out = new byte[IMAGE.length];
    Arrays.fill(out, (byte) 99); // every output pixel must be written
    new RandomCropFlip(PAD, true).crop(IMAGE, 0, out, 0, C, H, W, top, left, mirror);
    return out;
  }

  /** Reference: materialise the zero-padded image, cut the window, then mirror it. */
  private static byte[] padCropFlip(int top, int left, boolean mirror) {
    int ph = H + 2 * PAD;
    int pw = W + 2 * PAD;
    byte[] padded = new byte[C * ph * pw];
    for (int c = 0; c < C; c++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          padded[(c * ph + y + PAD) * pw + x + PAD] = IMAGE[(c * H + y) * W + x];
        }
      }
    }
    byte[] out = new byte[C * H * W];
    for (int c = 0; c < C; c++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          byte v = padded[(c * ph + y + top) * pw + x + left];
          out[(c * H + y) * W + (mirror ? W - 1 - x : x)] = v;
        }
      }
    }
    return out;
  }
}
