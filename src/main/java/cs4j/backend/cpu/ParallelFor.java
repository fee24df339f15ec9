package cs4j.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed pool of worker threads running index ranges.
 *
 * <ul>
 *   <li>{@link #run} cuts {@code [0, n)} into at most {@code threads} contiguous chunks: for loops
 *       whose every output is computed by one body call whatever the split (elementwise kernels,
 *       one image or channel per index).
 *   <li>{@link #runBlocks} cuts {@code [0, n)} into blocks of a fixed size that does not depend on
 *       the thread count, and hands whole blocks to the threads: for reductions, which keep one
 *       partial per block and combine the partials in block order, so their results are identical
 *       bit for bit for any thread count.
 * </ul>
 */
public final class ParallelFor implements AutoCloseable {

  /** The body of a parallel loop: handles indices [lo, hi); {@code chunk} numbers the range. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int chunk, int lo, int hi);
  }

  private final int threads;
  private final ExecutorService pool;

  public ParallelFor(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("ParallelFor: threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    this.pool =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads - 1,
                r -> {
                  Thread t = new Thread(r, "cs4j-cpu");
                  t.setDaemon(true);
                  return t;
                });
  }

  public int threads() {
    return threads;
  }

  /** How many chunks {@link #run} will use for n items with at least {@code grain} per chunk. */
  private int chunks(int n, int grain) {
    return Math.max(1, Math.min(threads, n / Math.max(1, grain)));
  }

  /**
   * Runs body over [0, n) in {@link #chunks(n, grain)} contiguous chunks; the calling thread takes
   * the first chunk. Small loops (fewer than 2·grain items) run inline.
   */
  public void run(int n, int grain, RangeBody body) {
    int chunks = chunks(n, grain);
    if (chunks == 1) {
      if (n > 0) {
        body.run(0, 0, n);
      }
      return;
    }
    List<Future<?>> futures = new ArrayList<>(chunks - 1);
    for (int c = 1; c < chunks; c++) {
      int chunk = c;
      futures.add(
          pool.submit(() -> body.run(chunk, lo(n, chunks, chunk), lo(n, chunks, chunk + 1))));
    }
    body.run(0, 0, lo(n, chunks, 1));
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for CPU workers", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(cause);
      }
    }
  }

  /** How many blocks {@link #runBlocks} cuts n items into: ⌈n / block⌉. */
  public static int blocks(int n, int block) {
    return (n + block - 1) / block;
  }

  /**
   * Runs body once per block {@code [b·block, min(n, (b+1)·block))}, b in [0, {@link #blocks}),
   * with {@code chunk} = b; the blocks do not depend on the thread count, only which thread runs
   * them does (contiguous runs of blocks, one per thread).
   */
  public void runBlocks(int n, int block, RangeBody body) {
    if (block < 1) {
      throw new IllegalArgumentException("ParallelFor: block must be >= 1, got " + block);
    }
    run(
        blocks(n, block),
        1,
        (ch, b0, b1) -> {
          for (int b = b0; b < b1; b++) {
            body.run(b, b * block, (int) Math.min(n, (long) (b + 1) * block));
          }
        });
  }

  private static int lo(int n, int chunks, int chunk) {
    return (int) ((long) n * chunk / chunks);
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
