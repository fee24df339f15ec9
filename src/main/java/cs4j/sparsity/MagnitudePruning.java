package cs4j.sparsity;

import cs4j.nn.Module;
import cs4j.train.TrainingHooks;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * One-shot magnitude pruning: train dense (round 0), keep the largest-|w| fraction of the masked
 * weights, fine-tune (round 1).
 */
public final class MagnitudePruning extends ConfiguredMethod<MagnitudePruning.Config> {
  /**
   * @param fractionRemaining density kept after pruning, in (0, 1]
   * @param scope global or per-layer ranking
   * @param fineTuneEpochs epochs of fine-tuning after pruning (0: none)
   */
  public record Config(double fractionRemaining, PruneScope scope, int fineTuneEpochs) {
    public Config {
      Require.density("magnitude", "fractionRemaining", fractionRemaining);
      Require.atLeast("magnitude", "fineTuneEpochs", fineTuneEpochs, 0);
      if (scope == null) {
        throw new IllegalArgumentException("magnitude: scope is required");
      }
    }

    public static Config defaults() {
      return new Config(0.1, PruneScope.GLOBAL, 10);
    }
  }

  public MagnitudePruning(Config config) {
    super("magnitude", config);
  }

  @Override
  List<RoundResult> runValidated(
      ExperimentContext ctx, Supplier<Module> models, RoundListener listener) throws IOException {
    Masks dense = Masks.dense(ctx.model(), models.get(), ctx.layers());
    return Phase.rounds(
        ctx,
        2,
        listener,
        k -> {
          long t0 = System.nanoTime();
          Module net = models.get();
          if (k == 0) {
            int epochs = ctx.recipe().epochs();
            return Phase.trainRound(ctx, net, dense, TrainingHooks.NONE, 0, "dense", epochs, t0);
          }
          RunFiles.restoreSnapshot(ctx.roundDir(0).resolve(RunFiles.STATE), net);
          Masks masks =
              Magnitude.pruneToDensity(dense, net, config.fractionRemaining(), config.scope());
          return Phase.trainRound(
              ctx, net, masks, TrainingHooks.NONE, 1, "pruned", config.fineTuneEpochs(), t0);
        });
  }
}
