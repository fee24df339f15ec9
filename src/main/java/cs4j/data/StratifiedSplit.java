package cs4j.data;

import cs4j.tensor.Rng;
import java.util.Arrays;

/**
 * Seeded train/validation splits and samples that keep each class's share: choosing V of N images,
 * class k with n_k of them gives {@code ⌊V·n_k/N⌋}, and the V − Σ⌊…⌋ left over go one each to the
 * classes with the largest fractional parts (ties to the lower class). CIFAR-10's 50,000 training
 * images split 45,000/5,000 give exactly 500 validation images per class.
 *
 * <p>Which images of a class are chosen is a shuffle of that class's indices with a generator
 * seeded by (seed, purpose, class), the purpose keeping splits and samples apart; every part keeps
 * the original order of the images.
 */
public final class StratifiedSplit {
  private StratifiedSplit() {}

  /** Holds out {@code validationSize} images of {@code data}, 0 < validationSize < N. */
  public static TrainValidation split(Dataset data, int validationSize, long seed) {
    int n = data.size();
    if (validationSize <= 0 || validationSize >= n) {
      throw new IllegalArgumentException(
          "StratifiedSplit: validation size must be in (0, "
              + n
              + ") for "
              + data.name()
              + ", got "
              + validationSize);
    }
    boolean[] heldOut = choose(data, validationSize, seed, Randomness.SPLIT);
    return new TrainValidation(
        data.subset(data.name() + " (train part)", indicesWhere(heldOut, false)),
        data.subset(data.name() + " (validation part)", indicesWhere(heldOut, true)));
  }

  /**
   * A stratified sample of {@code size} images of {@code data}, 0 < size ≤ N, with the same
   * per-class quotas as {@link #split} but drawn from its own stream, so a sample of a training
   * part is independent of how that part was split off. {@code size == N} returns {@code data}
   * itself.
   */
  public static Dataset sample(Dataset data, int size, long seed) {
    int n = data.size();
    if (size <= 0 || size > n) {
      throw new IllegalArgumentException(
          "StratifiedSplit: sample size must be in (0, "
              + n
              + "] for "
              + data.name()
              + ", got "
              + size);
    }
    if (size == n) {
      return data;
    }
    boolean[] chosen = choose(data, size, seed, Randomness.SAMPLE);
    return data.subset(data.name() + " (" + size + "-image sample)", indicesWhere(chosen, true));
  }

  /** Marks {@code count} images, each class's quota of them picked by a seeded shuffle. */
  private static boolean[] choose(Dataset data, int count, long seed, long purpose) {
    int[] quota = quotas(data.classCounts(), count, data.size());
    boolean[] chosen = new boolean[data.size()];
    for (int k = 0; k < quota.length; k++) {
      int[] members = membersOf(data, k);
      Randomness.shuffle(members, new Rng(Randomness.derive(seed, purpose, k)));
      for (int j = 0; j < quota[k]; j++) {
        chosen[members[j]] = true;
      }
    }
    return chosen;
  }

  /** The indices i with {@code marks[i] == value}, ascending. */
  private static int[] indicesWhere(boolean[] marks, boolean value) {
    int count = 0;
    for (boolean m : marks) {
      count += m == value ? 1 : 0;
    }
    int[] indices = new int[count];
    int j = 0;
    for (int i = 0; i < marks.length; i++) {
      if (marks[i] == value) {
        indices[j++] = i;
      }
    }
    return indices;
  }

  /** Validation images per class by the largest-remainder rule. */
  static int[] quotas(int[] counts, int validationSize, int n) {
    int[] quota = new int[counts.length];
    long[] remainder = new long[counts.length];
    int given = 0;
    for (int k = 0; k < counts.length; k++) {
      long share = (long) validationSize * counts[k];
      quota[k] = (int) (share / n);
      remainder[k] = share % n;
      given += quota[k];
    }
    Integer[] byRemainder = new Integer[counts.length];
    Arrays.setAll(byRemainder, k -> k);
    Arrays.sort(byRemainder, (a, b) -> Long.compare(remainder[b], remainder[a])); // stable
    for (int j = 0; given < validationSize; j++) {
      quota[byRemainder[j]]++;
      given++;
    }
    return quota;
  }

  private static int[] membersOf(Dataset data, int label) {
    int[] members = new int[data.classCounts()[label]];
    int m = 0;
    for (int i = 0; i < data.size(); i++) {
      if (data.label(i) == label) {
        members[m++] = i;
      }
    }
    return members;
  }
}
