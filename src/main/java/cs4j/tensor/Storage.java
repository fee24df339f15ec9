package cs4j.tensor;

/**
 * A flat buffer of float32 values on one device. Tensors are shaped views of a storage; several
 * tensors (reshapes) may share one.
 */
public interface Storage {
  Device device();

  /** Number of float elements. */
  int size();
}
