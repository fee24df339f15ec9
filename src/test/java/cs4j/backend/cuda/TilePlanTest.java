package cs4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Launch planning (no GPU needed): tile shapes, split-K slices and batch-norm splits. */
class TilePlanTest {
  @Test
  void tileShapeFollowsColumnCount() {
    assertEquals("_128x16", TilePlan.of(131072, 16, 144).suffix());
    assertEquals("_128x32", TilePlan.of(32768, 32, 144).suffix());
    assertEquals("_64x64", TilePlan.of(8192, 64, 576).suffix());
  }

  @Test
  void slicesCoverTheReductionExactlyOnce() {
    int[][] shapes = {{144, 16, 131072}, {576, 64, 8192}, {70, 37, 45}, {1024, 1024, 1024}};
    for (int[] s : shapes) {
      TilePlan p = TilePlan.of(s[0], s[1], s[2]);
      assertEquals(0, p.kPer() % TilePlan.BK, "slice length is a multiple of BK for " + p);
      assertTrue((long) p.kPer() * p.splits() >= s[2], "slices cover k for " + p);
      assertTrue((long) p.kPer() * (p.splits() - 1) < s[2], "no empty slice for " + p);
    }
  }

  @Test
  void longReductionWithFewTilesIsSplit() {
    // ResNet-20 stage 1 weight gradient: dW [16, 16·3·3] reduced over 128·32·32 pixels.
    TilePlan p = TilePlan.of(144, 16, 128 * 32 * 32);
    assertTrue(p.splits() >= 128, "expected a deep split, got " + p);
    assertEquals(1, TilePlan.of(131072, 16, 144).splits(), "forward conv needs no split");
  }

  @Test
  void reductionShapesDependOnSizesOnly() {
    assertEquals(1, CudaLauncher.reduceBlocks(1));
    assertEquals(1024, CudaLauncher.reduceBlocks(16 << 20));
    assertEquals(32, CudaBatchNorm.splits(16, 128 * 1024));
    assertEquals(1, CudaBatchNorm.splits(64, 1000));
  }

  @Test
  void allocatorRoundsToSizeClasses() {
    assertEquals(512, CudaAllocator.rounded(4));
    assertEquals(1024, CudaAllocator.rounded(513));
    assertEquals(1L << 20, CudaAllocator.rounded(1L << 20));
    assertEquals(2L << 20, CudaAllocator.rounded((1L << 20) + 1));
  }
}
