package cs4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
  @TempDir Path tmp;

  private static int[] unsigned(byte[] b) {
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] & 0xFF;
    }
    return out;
  }

  @Test
  void greyImagesKeepTheirStoredValues() throws IOException {
    // getRGB would convert the linear grey colour space to sRGB: 100 would come back as about 170.
    Path f = ImageFiles.grey(tmp.resolve("g.png"), 3, 3, (x, y) -> 100);
    assertArrayEquals(new int[] {100, 100, 100, 100}, unsigned(new ImageDecoder(2, 1).decode(f)));
    byte[] rgb = new ImageDecoder(1, 3).decode(f);
    assertArrayEquals(new int[] {100, 100, 100}, unsigned(rgb), "grey repeated in R, G, B");
  }

  @Test
  void theCentredSquareIsKeptAtItsOwnSizeUnchanged() throws IOException {
    // 6 × 4: columns 0 and 5 are cut away; the middle four come back exactly, plane by plane.
    Path f =
        ImageFiles.rgb(
            tmp.resolve("wide.png"), 6, 4, (x, y) -> (10 * x + y) << 16 | (100 + y) << 8 | 7);
    int[] out = unsigned(new ImageDecoder(4, 3).decode(f));
    assertEquals(48, out.length);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        int at = y * 4 + x;
        assertEquals(10 * (x + 1) + y, out[at], "R at " + x + "," + y);
        assertEquals(100 + y, out[16 + at], "G at " + x + "," + y);
        assertEquals(7, out[32 + at], "B at " + x + "," + y);
      }
    }
  }

  @Test
  void shrinkingAveragesTheAreaEachPixelCovers() throws IOException {
    // 4 → 2: each output pixel is the mean of a 2 × 2 block.
    Path f = ImageFiles.grey(tmp.resolve("4.png"), 4, 4, (x, y) -> 10 * x + 40 * y);
    // blocks: (0,10,40,50) → 25; (20,30,60,70) → 45; (80,90,120,130) → 105; (100,…) → 125
    assertArrayEquals(new int[] {25, 45, 105, 125}, unsigned(new ImageDecoder(2, 1).decode(f)));
    // 3 → 2: output 0 covers source [0, 1.5): (1·p0 + 0.5·p1) / 1.5; output 1 covers [1.5, 3).
    Path g = ImageFiles.grey(tmp.resolve("3.png"), 3, 3, (x, y) -> 90 * x);
    assertArrayEquals(new int[] {30, 150, 30, 150}, unsigned(new ImageDecoder(2, 1).decode(g)));
  }

  @Test
  void oneChannelFromColourIsTheLuma() throws IOException {
    Path f = ImageFiles.rgb(tmp.resolve("red.png"), 2, 2, (x, y) -> 0xFF0000);
    // PIL's convert("L") of pure red: (19595·255 + 2^15) >> 16 = 76
    assertArrayEquals(new int[] {76}, unsigned(new ImageDecoder(1, 1).decode(f)));
  }

  @Test
  void jpegIsRead() throws IOException {
    Path f = ImageFiles.rgb(tmp.resolve("c.jpg"), 16, 16, (x, y) -> 0x804020);
    int[] out = unsigned(new ImageDecoder(2, 3).decode(f));
    int[] expected = {128, 128, 128, 128, 64, 64, 64, 64, 32, 32, 32, 32};
    for (int i = 0; i < out.length; i++) {
      assertTrue(Math.abs(out[i] - expected[i]) <= 4, "JPEG value " + i + ": " + out[i]);
    }
  }

  @Test
  void anUnreadableFileIsRefusedByName() throws IOException {
    Path f = Files.writeString(tmp.resolve("broken.png"), "not an image");
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> new ImageDecoder(4, 3).decode(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }
}
