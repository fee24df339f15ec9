package cs4j.sparsity;

import cs4j.nn.Module;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Continuous Sparsification as a pruning method, as the paper uses it: one run (R = 1) from the
 * initial weights, no rewinding; the mask m = 1[s > 0] is applied to the trained weights,
 * optionally fine-tuned.
 */
public final class CsPruning extends ConfiguredMethod<CsPruning.Config> {
  /**
   * @param s0 initial mask logit
   * @param lambda penalty weight of Σ M
   * @param betaFinal β in the last epoch
   * @param betaSchedule per epoch or per iteration
   * @param scaleMask c = 1/σ(s0) when true, else 1 (the binarised mask keeps c)
   * @param maskLrFactor the logits' learning rate relative to the weights'
   * @param fineTuneEpochs epochs of fine-tuning with the binary mask after the run (0: none)
   */
  public record Config(
      double s0,
      double lambda,
      double betaFinal,
      ContinuousSparsification.BetaSchedule betaSchedule,
      boolean scaleMask,
      double maskLrFactor,
      int fineTuneEpochs) {
    public Config {
      String o = "cs-prune";
      Require.finite(o, "s0", s0);
      Require.nonNegative(o, "lambda", lambda);
      if (!(betaFinal >= 1) || !Double.isFinite(betaFinal)) {
        throw Require.fail(o, "betaFinal", "must be finite and >= 1", betaFinal);
      }
      Require.positive(o, "maskLrFactor", maskLrFactor);
      Require.atLeast(o, "fineTuneEpochs", fineTuneEpochs, 0);
      if (betaSchedule == null) {
        throw new IllegalArgumentException("cs-prune: betaSchedule is required");
      }
    }

    public static Config defaults() {
      return new Config(
          0.0, 1e-8, 200, ContinuousSparsification.BetaSchedule.PER_EPOCH, true, 1.0, 0);
    }
  }

  public CsPruning(Config config) {
    super("cs-prune", config);
  }

  @Override
  List<RoundResult> runValidated(
      ExperimentContext ctx, Supplier<Module> models, RoundListener listener) throws IOException {
    ContinuousSparsification.Config cs =
        new ContinuousSparsification.Config(
            config.s0(),
            config.lambda(),
            config.betaFinal(),
            config.betaSchedule(),
            1,
            0,
            ContinuousSparsification.SoftReset.REFERENCE_CODE,
            config.scaleMask(),
            true,
            config.maskLrFactor(),
            false);
    return new ContinuousSparsification(cs, config.fineTuneEpochs()).run(ctx, models, listener);
  }
}
