package cs4j.sparsity;

import cs4j.nn.Module;
import cs4j.train.TrainingHooks;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/** No pruning: one dense training run, the accuracy every method is compared with. */
public final class Dense extends ConfiguredMethod<Dense.Config> {
  /** No hyperparameters. */
  public record Config() {
    public static Config defaults() {
      return new Config();
    }
  }

  public Dense(Config config) {
    super("dense", config);
  }

  @Override
  List<RoundResult> runValidated(
      ExperimentContext ctx, Supplier<Module> models, RoundListener listener) throws IOException {
    Module net = models.get();
    Masks dense = Masks.dense(ctx.model(), net, ctx.layers());
    int epochs = ctx.recipe().epochs();
    return Phase.rounds(
        ctx,
        1,
        listener,
        k ->
            Phase.trainRound(
                ctx, net, dense, TrainingHooks.NONE, 0, "dense", epochs, System.nanoTime()));
  }
}
