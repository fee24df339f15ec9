package cs4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {
  @Test
  void balancedClassesGiveEqualValidationShares() {
    Dataset d = Datasets.indexed(1000, 10, i -> i % 10);

    TrainValidation s = StratifiedSplit.split(d, 100, 1234);
    assertEquals(900, s.train().size());
    assertEquals(100, s.validation().size());
    assertArrayEquals(filled(10, 10), s.validation().classCounts());
    assertArrayEquals(filled(10, 90), s.train().classCounts());
  }

  @Test
  void cifarProtocolSizes() {
    int[] quota = StratifiedSplit.quotas(filled(10, 5000), 5000, 50_000);
    assertArrayEquals(filled(10, 500), quota);
  }

  @Test
  void unevenClassesFollowLargestRemainder() {
    // counts 50, 30, 20 of 100; validation 15 → exact shares 7.5, 4.5, 3.0 → 7+4+3 = 14, the one
    // left over goes to the first of the tied remainders (class 0).
    assertArrayEquals(new int[] {8, 4, 3}, StratifiedSplit.quotas(new int[] {50, 30, 20}, 15, 100));
  }

  @Test
  void partsAreDisjointCoverEverythingAndKeepOrder() {
    Dataset d = Datasets.indexed(300, 3, i -> (i * 7) % 3);

    TrainValidation s = StratifiedSplit.split(d, 30, 5);
    int[] train = Datasets.indicesOf(s.train());
    int[] validation = Datasets.indicesOf(s.validation());
    Set<Integer> seen = new HashSet<>();
    for (int i : train) {
      assertEquals(true, seen.add(i), "index " + i + " twice");
    }
    for (int i : validation) {
      assertEquals(true, seen.add(i), "index " + i + " in both parts");
    }
    assertEquals(300, seen.size());
    assertArrayEquals(sorted(train), train, "train part keeps dataset order");
    assertArrayEquals(sorted(validation), validation, "validation part keeps dataset order");
    for (int j = 0; j < validation.length; j++) {
      assertEquals(d.label(validation[j]), s.validation().label(j), "label follows its image");
    }
  }

  @Test
  void sameSeedSameSplitOtherSeedOtherSplit() {
    Dataset d = Datasets.indexed(500, 10, i -> i % 10);

    int[] a = Datasets.indicesOf(StratifiedSplit.split(d, 50, 42).validation());
    int[] b = Datasets.indicesOf(StratifiedSplit.split(d, 50, 42).validation());
    int[] c = Datasets.indicesOf(StratifiedSplit.split(d, 50, 43).validation());
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c), "seeds 42 and 43 chose the same validation images");
  }

  @Test
  void rejectsSizesOutsideTheDataset() {
    Dataset d = Datasets.indexed(10, 2, i -> i % 2);
    assertThrows(IllegalArgumentException.class, () -> StratifiedSplit.split(d, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> StratifiedSplit.split(d, 10, 1));
  }

  @Test
  void sampleKeepsClassSharesAndOrderAndDiffersFromTheValidationChoice() {
    Dataset d = Datasets.indexed(1000, 10, i -> i % 10);

    Dataset sample = StratifiedSplit.sample(d, 200, 7);
    assertEquals(200, sample.size());
    assertArrayEquals(filled(10, 20), sample.classCounts());
    int[] chosen = Datasets.indicesOf(sample);
    assertArrayEquals(sorted(chosen), chosen, "sample keeps dataset order");
    assertArrayEquals(chosen, Datasets.indicesOf(StratifiedSplit.sample(d, 200, 7)));
    assertFalse(
        Arrays.equals(chosen, Datasets.indicesOf(StratifiedSplit.split(d, 200, 7).validation())),
        "sample and validation split drew from the same stream");
    assertSame(d, StratifiedSplit.sample(d, 1000, 7), "a sample of everything is the dataset");
    assertThrows(IllegalArgumentException.class, () -> StratifiedSplit.sample(d, 0, 7));
    assertThrows(IllegalArgumentException.class, () -> StratifiedSplit.sample(d, 1001, 7));
  }

  private static int[] filled(int n, int value) {
    int[] a = new int[n];
    Arrays.fill(a, value);
    return a;
  }

  private static int[] sorted(int[] a) {
    int[] s = a.clone();
    Arrays.sort(s);
    return s;
  }
}
