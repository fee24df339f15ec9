package cs4j.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a reader on many mutated inputs of one format and holds it to its contract: each case ends
 * in a correct load (the case's own checks pass) or in an {@link IOException} whose message names
 * the file, and allocates no more than the input justifies. Anything else (an Error, an unchecked
 * exception, a message without the file, an oversized allocation) is a failure, reported with the
 * case's seed and mutations.
 *
 * <p>System properties: {@code cs4j.fuzz.cases} (cases per format; the suite's default keeps it
 * fast) and {@code cs4j.fuzz.seed} (the campaign's seed; each case derives its own from it).
 */
public final class FuzzCampaign {
  private static final int FAILURES_SHOWN = 10;

  /** What a case runs: returns normally after checking a load was correct. */
  @FunctionalInterface
  public interface Read {
    void run() throws Exception;
  }

  private final String format;
  private final Map<String, Integer> outcomes = new TreeMap<>();
  private final List<String> failures = new ArrayList<>();
  private int failureCount;
  private int cases;
  private long nanos;
  private long maxAllocated;

  public FuzzCampaign(String format) {
    this.format = format;
  }

  /** Cases per format: {@code -Dcs4j.fuzz.cases}, else {@code suiteDefault}. */
  public static int cases(int suiteDefault) {
    return Integer.getInteger("cs4j.fuzz.cases", suiteDefault);
  }

  /** The seed of case {@code i} of campaign {@code name}. */
  public static long seed(String name, int i) {
    long base = Long.getLong("cs4j.fuzz.seed", 13);
    return base * 1_000_003L + name.hashCode() * 31L + i;
  }

  /**
   * Runs one case: {@code read} may allocate at most {@code maxBytes}, and an IOException it throws
   * must name {@code file} (a path, or the directory of a multi-file format).
   */
  public void run(long seed, Mutator mutator, String file, long maxBytes, Read read) {
    cases++;
    long t0 = System.nanoTime();
    long before = Allocations.current();
    Throwable thrown = null;
    try {
      read.run();
    } catch (Throwable t) { // NOTE: Errors too: an OutOfMemoryError or StackOverflowError fails
      thrown = t;
    }
    long allocated = Allocations.current() - before;
    nanos += System.nanoTime() - t0;
    maxAllocated = Math.max(maxAllocated, allocated);
    String outcome = thrown == null ? "loaded" : thrown.getClass().getSimpleName();
    outcomes.merge(outcome, 1, Integer::sum);
    if (thrown != null
        && !(thrown instanceof IOException
            && thrown.getMessage() != null
            && thrown.getMessage().contains(file))) {
      failure(seed, mutator, describe(thrown));
    }
    if (allocated > maxBytes) {
      failure(seed, mutator, "allocated " + allocated + " bytes, the input justifies " + maxBytes);
    }
  }

  private void failure(long seed, Mutator mutator, String what) {
    failureCount++;
    if (failures.size() < FAILURES_SHOWN) {
      failures.add("seed " + seed + " " + mutator.applied() + ": " + what);
    }
  }

  private static String describe(Throwable t) {
    StringBuilder b = new StringBuilder(t.toString());
    StackTraceElement[] trace = t.getStackTrace();
    for (int i = 0; i < Math.min(4, trace.length); i++) {
      b.append("\n      at ").append(trace[i]);
    }
    return b.toString();
  }

  /** One line: cases, time, outcomes by type, largest allocation. */
  public String summary() {
    return String.format(
        "fuzz %s: %d cases in %.1f s, outcomes %s, largest allocation %d bytes, %d failures",
        format, cases, nanos / 1e9, outcomes, maxAllocated, failureCount);
  }

  /** Prints the summary and fails listing the first failures, if any. */
  public void report() {
    System.out.println(summary());
    if (failureCount > 0) {
      fail(summary() + ":\n  " + String.join("\n  ", failures));
    }
  }
}
