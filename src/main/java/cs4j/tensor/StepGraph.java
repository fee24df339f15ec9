package cs4j.tensor;

/**
 * Device work recorded once by {@link Device#capture} and run again by {@link #replay()}: the same
 * kernels with the same arguments on the same buffers, without the host code that issued them (a
 * CUDA graph). Whatever the recorded code read on the host (a learning rate, a temperature) is
 * frozen into it, so a caller replays a graph only while those values are unchanged.
 */
public interface StepGraph extends AutoCloseable {
  /** Runs the recorded work again, in order, on the calling thread's stream (no host wait). */
  void replay();

  /** Releases the graph and the device memory its work uses; it must not be replayed again. */
  @Override
  void close();
}
