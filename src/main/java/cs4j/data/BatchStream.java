package cs4j.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The batches of one epoch, in order, with one batch of prefetch: while the caller works on batch
 * b, a background thread builds batch b + 1.
 *
 * <p>A failure while building a batch reaches the caller from {@link #next()} as a {@link
 * DataLoadingException} whose cause is the original exception; the stream is then closed. The
 * thread stops after the last batch or at {@link #close()}, whichever comes first; it is a daemon
 * thread, so a stream that is never closed does not keep the JVM alive.
 */
public final class BatchStream implements Iterator<Batch>, AutoCloseable {
  private final IntFunction<Batch> assemble;
  private final int epoch;
  private final int end;
  private final ExecutorService worker;
  private int next;
  private Future<Batch> pending;
  private boolean closed;

  /**
   * Batches {@code firstBatch} … {@code end − 1} of {@code epoch}, batch b built by {@code
   * assemble.apply(b)} on the background thread (it must not depend on the calling thread).
   */
  public BatchStream(int epoch, int firstBatch, int end, IntFunction<Batch> assemble) {
    if (firstBatch < 0 || firstBatch > end) {
      throw new IllegalArgumentException(
          "BatchStream: first batch must be in [0, " + end + "], got " + firstBatch);
    }
    this.assemble = assemble;
    this.epoch = epoch;
    this.end = end;
    this.next = firstBatch;
    this.worker =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread t = new Thread(task, "cs4j-batch-prefetch-epoch-" + epoch);
              t.setDaemon(true);
              return t;
            });
    prefetch();
  }

  @Override
  public boolean hasNext() {
    return !closed && next < end;
  }

  /** The next batch; waits for the background thread if it is not ready yet. */
  @Override
  public Batch next() {
    if (closed) {
      throw new IllegalStateException("BatchStream of epoch " + epoch + " is closed");
    }
    if (next >= end) {
      throw new NoSuchElementException("BatchStream: epoch " + epoch + " has " + end + " batches");
    }
    Batch batch;
    try {
      batch = pending.get();
    } catch (ExecutionException e) {
      close();
      throw new DataLoadingException(
          "preparing batch " + next + " of epoch " + epoch + " failed: " + e.getCause(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new DataLoadingException(
          "interrupted while waiting for batch " + next + " of epoch " + epoch, e);
    }
    next++;
    prefetch();
    return batch;
  }

  /** Index of the batch {@link #next()} returns next. */
  public int position() {
    return next;
  }

  private void prefetch() {
    if (next < end) {
      int index = next;
      pending = worker.submit(() -> assemble.apply(index));
    } else {
      pending = null;
      worker.shutdown();
    }
  }

  /** Stops the background thread and waits for it; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (pending != null) {
      pending.cancel(true);
    }
    worker.shutdownNow();
    try {
      if (!worker.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException(
            "BatchStream: prefetch thread of epoch " + epoch + " did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
