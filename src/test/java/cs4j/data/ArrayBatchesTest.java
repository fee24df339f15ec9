package cs4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrayBatchesTest {
  /** Ten examples of shape [2, 3] whose every value is the example's index; label index % 3. */
  private static ArrayBatches ten(LoaderOptions options) {
    float[] x = new float[10 * 6];
    int[] y = new int[10];
    for (int i = 0; i < 10; i++) {
      java.util.Arrays.fill(x, i * 6, i * 6 + 6, i);
      y[i] = i % 3;
    }
    return new ArrayBatches(x, y, new int[] {2, 3}, options);
  }

  /** The example indices of the batches of {@code epoch}, checking each label on the way. */
  private static List<Integer> visit(BatchSource source, int epoch, int first) {
    List<Integer> seen = new ArrayList<>();
    try (BatchStream s = source.epoch(epoch, first)) {
      while (s.hasNext()) {
        Batch b = s.next();
        float[] x = b.images().toArray();
        float[] y = b.labels().toArray();
        for (int j = 0; j < b.size(); j++) {
          int i = (int) x[j * 6];
          assertEquals(i % 3, y[j], 0f, "label of example " + i);
          seen.add(i);
        }
      }
    }
    return seen;
  }

  @Test
  void batchesHaveTheExampleShapeAndTheShortLastBatchFollowsDropLast() {
    ArrayBatches keep = ten(new LoaderOptions(4, false, false, 0));
    assertEquals(3, keep.batchesPerEpoch());
    assertEquals(2, ten(new LoaderOptions(4, false, true, 0)).batchesPerEpoch());
    try (BatchStream s = keep.epoch(0)) {
      assertEquals(Shape.of(4, 2, 3), s.next().images().shape());
      s.next();
      Batch last = s.next();
      assertEquals(Shape.of(2, 2, 3), last.images().shape());
      assertEquals(Shape.of(2), last.labels().shape());
      assertFalse(s.hasNext());
    }
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), visit(keep, 0, 0));
  }

  @Test
  void shuffledEpochsVisitEveryExampleOnceInAnOrderFixedBySeedAndEpoch() {
    ArrayBatches a = ten(LoaderOptions.training(3, 42));
    List<Integer> e0 = visit(a, 0, 0);
    assertEquals(10, e0.stream().distinct().count(), "every example once: " + e0);
    assertEquals(e0, visit(ten(LoaderOptions.training(3, 42)), 0, 0), "same seed, same order");
    assertTrue(!e0.equals(visit(a, 1, 0)) || !e0.equals(visit(a, 2, 0)), "a new order every epoch");
    assertEquals(e0.subList(6, 10), visit(a, 0, 2), "a resumed epoch continues the same order");
  }

  @Test
  void theSameOrderAsABatchLoaderWithTheSameOptions() {
    LoaderOptions o = LoaderOptions.training(4, 7);
    int[] expected =
        new BatchLoader(
                Datasets.indexed(10, 3, i -> i % 3),
                new Normalization(new float[] {0f}, new float[] {1f / 255f}),
                Augmentation.NONE,
                o)
            .order(3);
    assertArrayEquals(expected, visit(ten(o), 3, 0).stream().mapToInt(i -> i).toArray());
  }

  @Test
  void inputsThatDoNotFitTheLabelsAreRefusedWithTheCounts() {
    LoaderOptions o = LoaderOptions.training(2, 0);
    String msg =
        assertThrows(
                IllegalArgumentException.class,
                () -> new ArrayBatches(new float[7], new int[2], new int[] {4}, o))
            .getMessage();
    assertTrue(msg.contains("need 8 floats, got 7"), msg);
    msg =
        assertThrows(
                IllegalArgumentException.class,
                () -> new ArrayBatches(new float[2], new int[] {0, -1}, new int[] {1}, o))
            .getMessage();
    assertTrue(msg.contains("label 1 is -1"), msg);
    msg =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    new ArrayBatches(
                        new float[1],
                        new int[1],
                        new int[] {1},
                        new LoaderOptions(2, true, true, 0)))
            .getMessage();
    assertTrue(msg.contains("make no batch"), msg);
  }
}
