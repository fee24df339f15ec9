package cs4j.sparsity;

import cs4j.nn.Module;
import cs4j.train.TrainingHooks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Iterative magnitude pruning (Frankle et al.): round 0 trains the dense network; each later round
 * removes {@code pruneRate} of the remaining weights with the smallest |w| (globally or per layer)
 * from the previous round's trained weights, then trains again, either from the weights rewound to
 * the snapshot taken at {@code rewindEpoch} of round 0 ({@code imp}) or from the trained weights
 * ({@code imp-continued}). After n rounds the density is (1 − pruneRate)ⁿ, up to rounding.
 */
public final class Imp extends ConfiguredMethod<Imp.Config> {
  /**
   * @param rounds training runs, the dense one included (>= 1)
   * @param pruneRate fraction of the remaining weights removed per round, in (0, 1)
   * @param scope global or per-layer ranking
   * @param rewind rewind survivors to the round-0 snapshot (true) or keep trained values
   * @param rewindEpoch epoch of round 0 whose starting weights are the rewind point
   */
  public record Config(
      int rounds, double pruneRate, PruneScope scope, boolean rewind, int rewindEpoch) {
    public Config {
      Require.atLeast("imp", "rounds", rounds, 1);
      Require.openUnit("imp", "pruneRate", pruneRate);
      Require.atLeast("imp", "rewindEpoch", rewindEpoch, 0);
      if (scope == null) {
        throw new IllegalArgumentException("imp: scope is required");
      }
    }

    /** 10 rounds of 20 % global pruning, rewinding to epoch 2. */
    public static Config withRewinding() {
      return new Config(10, 0.2, PruneScope.GLOBAL, true, 2);
    }

    /** As {@link #withRewinding()} but the survivors keep their trained values. */
    public static Config continued() {
      return new Config(10, 0.2, PruneScope.GLOBAL, false, 0);
    }
  }

  public Imp(String name, Config config) {
    super(name, config);
  }

  @Override
  public void validate(TrainingRecipe recipe) {
    if (config.rewind()) {
      Require.rewindInsideRound(name(), config.rewindEpoch(), recipe);
    }
  }

  @Override
  List<RoundResult> runValidated(
      ExperimentContext ctx, Supplier<Module> models, RoundListener listener) throws IOException {
    int epochs = ctx.recipe().epochs();
    Masks dense = Masks.dense(ctx.model(), models.get(), ctx.layers());
    Path rewindFile = ctx.runDir().resolve(RunFiles.REWIND);
    return Phase.rounds(
        ctx,
        config.rounds(),
        listener,
        k -> {
          long t0 = System.nanoTime();
          Module net = models.get();
          if (k == 0) {
            TrainingHooks hooks =
                config.rewind()
                    ? Hooks.snapshotAt(config.rewindEpoch(), net, rewindFile)
                    : TrainingHooks.NONE;
            return Phase.trainRound(ctx, net, dense, hooks, 0, "dense", epochs, t0);
          }
          Path prev = ctx.roundDir(k - 1);
          Module trained = models.get();
          RunFiles.restoreSnapshot(prev.resolve(RunFiles.STATE), trained);
          Masks before = Masks.load(prev.resolve(RunFiles.MASKS), ctx.model(), net, ctx.layers());
          Masks masks =
              Magnitude.pruneFraction(before, trained, config.pruneRate(), config.scope());
          if (config.rewind()) {
            RunFiles.restoreSnapshot(rewindFile, net);
          } else {
            net = trained;
          }
          String stage = config.rewind() ? "ticket" : "pruned";
          return Phase.trainRound(ctx, net, masks, TrainingHooks.NONE, k, stage, epochs, t0);
        });
  }
}
