package cs4j.sparsity;

import cs4j.nn.Module;
import cs4j.optim.Sgd;
import cs4j.tensor.MemoryScope;
import cs4j.train.TrainingDivergedException;
import cs4j.train.TrainingHooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Continuous Sparsification ticket search (Savarese, Silva, Maire, "Winning the Lottery with
 * Continuous Sparsification", NeurIPS 2020; the README explains it): mask logits s on the selected
 * layers, soft mask {@code M = c·σ(β·s)} with {@code c = 1/σ(s0)}, loss {@code CE + λ·Σ M}, β
 * annealed from 1 to β_final in each of R rounds, a soft reset of s between rounds, then the ticket
 * {@code m = 1[s > 0]} retrained from the weights snapshotted at the rewind epoch of round 0.
 */
public final class ContinuousSparsification
    extends ConfiguredMethod<ContinuousSparsification.Config> {
  /** How β grows inside a round of E epochs. */
  public enum BetaSchedule {
    /** β_e = β_final^(e/(E−1)), constant inside an epoch (the reference code). */
    PER_EPOCH,
    /** β_t = β_final^(t/(T−1)) over the T = E·(batches per epoch) iterations. */
    PER_ITERATION
  }

  /** What the logits become between rounds; the paper and its reference code differ here. */
  public enum SoftReset {
    /** s ← min(s, s0): what the reference code applies (it resets β to 1 before the call). */
    REFERENCE_CODE,
    /** s ← min(β_final·s, s0): the rule as the paper writes it. */
    PAPER
  }

  /**
   * @param s0 initial mask logit (reference default 0; negative is sparser)
   * @param lambda penalty weight of Σ M (>= 0)
   * @param betaFinal β in the last epoch of each round (> 1)
   * @param rounds search rounds R (>= 1)
   * @param rewindEpoch epoch of round 0 whose starting weights the ticket is rewound to
   * @param scaleMask c = 1/σ(s0) when true (the reference), c = 1 when false
   * @param ticketKeepsScale the ticket retrained from the rewind point uses M = c·m (the reference)
   *     rather than m; hard masks on the search's own weights (search rows, pruning) keep c
   * @param maskLrFactor the logits' learning rate relative to the weights'
   * @param retrainEachRound retrain the ticket of every round, not only of the last (one curve
   *     point per round)
   */
  public record Config(
      double s0,
      double lambda,
      double betaFinal,
      BetaSchedule betaSchedule,
      int rounds,
      int rewindEpoch,
      SoftReset softReset,
      boolean scaleMask,
      boolean ticketKeepsScale,
      double maskLrFactor,
      boolean retrainEachRound) {
    public Config {
      String o = "cs";
      Require.finite(o, "s0", s0);
      Require.nonNegative(o, "lambda", lambda);
      if (!(betaFinal >= 1) || !Double.isFinite(betaFinal)) {
        throw Require.fail(o, "betaFinal", "must be finite and >= 1", betaFinal);
      }
      Require.atLeast(o, "rounds", rounds, 1);
      Require.atLeast(o, "rewindEpoch", rewindEpoch, 0);
      Require.positive(o, "maskLrFactor", maskLrFactor);
      if (betaSchedule == null || softReset == null) {
        throw new IllegalArgumentException("cs: betaSchedule and softReset are required");
      }
    }

    /** The reference code's: s0 = 0, λ = 1e-8, β_final = 200, 3 rounds, rewind to epoch 2. */
    public static Config defaults() {
      return new Config(
          0.0,
          1e-8,
          200,
          BetaSchedule.PER_EPOCH,
          3,
          2,
          SoftReset.REFERENCE_CODE,
          true,
          true,
          1.0,
          false);
    }
  }

  private final int pruningFineTuneEpochs; // < 0: ticket search; >= 0: CS as pruning

  public ContinuousSparsification(Config config) {
    this(config, -1);
  }

  /** CS as a pruning method ({@link CsPruning}): one round, trained weights kept, fine-tuned. */
  ContinuousSparsification(Config config, int pruningFineTuneEpochs) {
    super("cs", config);
    this.pruningFineTuneEpochs = pruningFineTuneEpochs;
  }

  @Override
  public void validate(TrainingRecipe recipe) {
    if (pruningFineTuneEpochs < 0) { // ticket search rewinds; pruning keeps its trained weights
      Require.rewindInsideRound(name(), config.rewindEpoch(), recipe);
    }
  }

  @Override
  List<RoundResult> runValidated(
      ExperimentContext ctx, Supplier<Module> models, RoundListener listener) throws IOException {
    int epochs = ctx.recipe().epochs();
    boolean pruning = pruningFineTuneEpochs >= 0;
    Module net = models.get();
    MaskLogits soft =
        new MaskLogits(net, ctx.layers(), config.s0(), config.scaleMask(), config.lambda());
    soft.schedule(config.betaSchedule(), config.betaFinal(), epochs);
    double maskLr = ctx.recipe().lr() * config.maskLrFactor();
    List<Sgd> opts =
        List.of(
            ctx.recipe().optimizer(Phase.without(net, soft.parameters())),
            ctx.recipe().optimizer(soft.parameters(), maskLr, 0));
    // The hard mask on the search's own weights keeps the scale c they were trained under; a ticket
    // retrained from the rewind point keeps it only when asked (ticketKeepsScale).
    float searchScale = soft.c();
    float ticketScale = config.ticketKeepsScale() ? searchScale : 1f;
    Path rewind = ctx.runDir().resolve(RunFiles.REWIND);
    List<RoundResult> results = new ArrayList<>();
    boolean current = false; // net holds the state the previous round ended with
    for (int k = 0; k < config.rounds(); k++) {
      Path dir = ctx.roundDir(k);
      RoundResult done = RunFiles.finished(dir);
      if (done != null) {
        results.add(done);
        listener.roundFinished(done);
        current = false;
        if (!Files.exists(dir.resolve(RunFiles.STATE))) {
          break; // a search that diverged left no state for a later round to start from
        }
        continue;
      }
      // What the round allocates (the ticket's masks, a fresh network to retrain, its optimiser)
      // is freed when it ends; the search network, its logits and optimisers live in the run.
      RoundResult r = null;
      try (MemoryScope round = ctx.device().openScope()) {
        long t0 = System.nanoTime();
        if (k > 0 && !current) {
          RunFiles.loadState(ctx.roundDir(k - 1).resolve(RunFiles.STATE), net, opts);
        }
        Path state = dir.resolve(RunFiles.STATE);
        Masks ticket;
        if (Files.exists(state)) {
          RunFiles.loadState(state, net, opts);
          ticket = Masks.load(dir.resolve(RunFiles.MASKS), ctx.model(), net, ctx.layers());
        } else {
          soft.install();
          TrainingHooks hooks =
              k == 0 && !pruning
                  ? Hooks.both(soft, Hooks.snapshotAt(config.rewindEpoch(), net, rewind))
                  : soft;
          TrainingDivergedException e =
              Phase.trainOrDiverge(
                  ctx, net, opts, ctx.recipe().schedule(), hooks, epochs, dir.resolve("train"));
          if (e != null) {
            ticket = soft.ticket(ctx.model());
            ticket.apply(net, searchScale);
            r = Phase.result(ctx, net, k, "search", ticket, epochs, t0, e, searchCause());
            RunFiles.finish(dir, r, ticket);
            results.add(r);
            listener.roundFinished(r);
            break;
          }
          ticket = soft.ticket(ctx.model());
          if (k < config.rounds() - 1) {
            soft.softReset(config.softReset(), config.betaFinal());
          }
          ticket.save(dir.resolve(RunFiles.MASKS));
          RunFiles.saveState(state, net, opts);
        }
        current = true;
        float scale = pruning ? searchScale : ticketScale;
        String cause =
            scale == 1f
                ? RoundWarnings.LEARNING_RATE
                : RoundWarnings.ticketScale(
                    scale, pruning ? "--scale-mask false" : "--ticket-keeps-scale false");
        if (pruning) {
          ticket.apply(net, searchScale);
          TrainingDivergedException diverged =
              Phase.trainOrDiverge(
                  ctx,
                  net,
                  List.of(ctx.recipe().optimizer(Phase.without(net, soft.parameters()))),
                  ctx.recipe().schedule(),
                  TrainingHooks.NONE,
                  pruningFineTuneEpochs,
                  dir.resolve("finetune"));
          r =
              Phase.result(
                  ctx,
                  net,
                  k,
                  "pruned",
                  ticket,
                  epochs + pruningFineTuneEpochs,
                  t0,
                  diverged,
                  cause);
        } else if (config.retrainEachRound() || k == config.rounds() - 1) {
          Module fresh = models.get();
          RunFiles.restoreSnapshot(rewind, fresh);
          ticket.apply(fresh, ticketScale);
          TrainingDivergedException diverged =
              Phase.trainOrDiverge(ctx, fresh, TrainingHooks.NONE, epochs, dir.resolve("retrain"));
          r = Phase.result(ctx, fresh, k, "ticket", ticket, 2 * epochs, t0, diverged, cause);
        } else {
          ticket.apply(net, searchScale);
          r = Phase.result(ctx, net, k, "search", ticket, epochs, t0);
          soft.install();
        }
        RunFiles.finish(dir, r, null);
      }
      results.add(r);
      listener.roundFinished(r);
    }
    return results;
  }

  /** The likely cause of a search that diverged: the logits train with the weights' rate. */
  private String searchCause() {
    return RoundWarnings.LEARNING_RATE
        + (config.maskLrFactor() > 1 ? " or the logits' (lower --mask-lr-factor)" : "");
  }
}
