package cs4j.sparsity;

import cs4j.nn.Module;
import cs4j.tensor.MemoryScope;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * What every method shares: its registry name, its hyperparameter record, and running on fresh
 * networks from the context. Subclasses implement the run on networks from a supplier, which tests
 * use to substitute tiny networks.
 *
 * @param <C> the method's immutable hyperparameter record
 */
abstract class ConfiguredMethod<C extends Record> implements PruningMethod {
  private final String name;
  protected final C config;

  ConfiguredMethod(String name, C config) {
    this.name = name;
    this.config = config;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final C config() {
    return config;
  }

  @Override
  public final List<RoundResult> run(ExperimentContext ctx, RoundListener listener)
      throws IOException {
    return run(ctx, ctx::newModel, listener);
  }

  /**
   * As {@link #run(ExperimentContext, RoundListener)} with networks from {@code models}, after
   * {@link #validate} of the context's recipe. The run owns the device memory it allocates (its
   * networks, optimiser state, mask logits and masks): all of it is released when it returns.
   */
  final List<RoundResult> run(
      ExperimentContext ctx, Supplier<Module> models, RoundListener listener) throws IOException {
    validate(ctx.recipe());
    try (MemoryScope run = ctx.device().openScope()) {
      return runValidated(ctx, models, listener);
    }
  }

  /** The method's rounds, on hyperparameters {@link #validate} accepted for the context. */
  abstract List<RoundResult> runValidated(
      ExperimentContext ctx, Supplier<Module> models, RoundListener listener) throws IOException;
}
