package cs4j.sparsity;

import cs4j.models.InitScheme;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;

/**
 * Where a method gets its networks: every call returns a freshly initialised network, on the host,
 * identical to the one the previous call returned (same architecture, same initial weights). A
 * method builds several (the search network, the ticket retrained from the rewind point), and
 * {@link ExperimentContext#newModel()} moves each to the context's device.
 *
 * <p>An embedder's own network is a lambda that builds it from a fixed seed: {@code () -> new
 * MyNet(new Rng(42))}. Its masked layers are found by the context's {@link LayerSelection} (every
 * {@code Linear} or {@code Conv2d} it holds, by module name).
 */
@FunctionalInterface
public interface ModelSupplier {
  /** A fresh network on the host, the same every call. */
  Module create();

  /**
   * Model {@code name} of the registry ({@link Models}) for {@code input}, drawn from {@code seed}.
   */
  static ModelSupplier registry(String name, InputSpec input, InitScheme init, long seed) {
    return () -> Models.create(name, input, init, seed);
  }
}
