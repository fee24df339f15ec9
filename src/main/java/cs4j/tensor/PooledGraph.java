package cs4j.tensor;

import java.util.List;

/**
 * A recorded graph and the device memory allocated while it was recorded (its activations,
 * gradients and temporaries: the graph's private pool), released together. The pool stays allocated
 * between replays, so no other tensor can take memory that a replay writes.
 */
final class PooledGraph implements StepGraph {
  private final StepGraph recorded;
  private final List<ReleasableStorage> pool;
  private boolean closed;

  PooledGraph(StepGraph recorded, List<ReleasableStorage> pool) {
    this.recorded = recorded;
    this.pool = pool;
  }

  @Override
  public void replay() {
    if (closed) {
      throw new IllegalStateException("StepGraph.replay: the graph was closed");
    }
    recorded.replay();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      recorded.close();
      pool.forEach(ReleasableStorage::release);
    }
  }
}
