package cs4j.sparsity;

import cs4j.backend.Backend;
import cs4j.nn.Module;
import cs4j.ops.Ops;
import cs4j.tensor.Tensor;
import cs4j.train.TrainingDivergedException;
import cs4j.train.TrainingHooks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gradual magnitude pruning (Zhu & Gupta 2017): during one dense training run the sparsity follows
 * s_t = s_f + (s_i − s_f)(1 − (t − t0)/(nΔt))³, applied every Δt steps between t0 and t0 + nΔt by
 * magnitude among the surviving weights (masks only shrink).
 */
public final class Gmp extends ConfiguredMethod<Gmp.Config> {
  /**
   * @param finalFractionRemaining density s_f is reached at, in (0, 1]
   * @param initialSparsity sparsity s_i at the first pruning step, in [0, 1)
   * @param startAt first pruning step t0, as a fraction of all training steps
   * @param endAt last pruning step t0 + nΔt, as a fraction of all training steps
   * @param pruneEverySteps Δt, in optimiser steps
   * @param scope global or per-layer ranking
   */
  public record Config(
      double finalFractionRemaining,
      double initialSparsity,
      double startAt,
      double endAt,
      int pruneEverySteps,
      PruneScope scope) {
    public Config {
      String o = "gmp";
      Require.density(o, "finalFractionRemaining", finalFractionRemaining);
      if (!(initialSparsity >= 0 && initialSparsity < 1)) {
        throw Require.fail(o, "initialSparsity", "must be in [0, 1)", initialSparsity);
      }
      if (!(startAt >= 0 && startAt < endAt && endAt <= 1)) {
        throw Require.fail(
            o, "startAt/endAt", "must satisfy 0 <= startAt < endAt <= 1", startAt + "/" + endAt);
      }
      if (initialSparsity > 1 - finalFractionRemaining) {
        throw Require.fail(
            o,
            "initialSparsity",
            "must not exceed the final sparsity " + (1 - finalFractionRemaining),
            initialSparsity);
      }
      Require.atLeast(o, "pruneEverySteps", pruneEverySteps, 1);
      if (scope == null) {
        throw new IllegalArgumentException("gmp: scope is required");
      }
    }

    public static Config defaults() {
      return new Config(0.1, 0.0, 0.1, 0.6, 100, PruneScope.GLOBAL);
    }
  }

  public Gmp(Config config) {
    super("gmp", config);
  }

  @Override
  List<RoundResult> runValidated(
      ExperimentContext ctx, Supplier<Module> models, RoundListener listener) throws IOException {
    Module net = models.get();
    Map<String, Tensor> buffers = new LinkedHashMap<>();
    ctx.layers()
        .select(net)
        .forEach(
            (name, layer) -> {
              Tensor w = layer.weight().value();
              Tensor mask = Tensor.zeros(w.shape(), w.device());
              Backend.of(w.device()).fill(mask, 1f);
              ((Module) layer).attachBuffer(MASK, mask);
              layer.setWeightTransform(x -> Ops.mul(x, mask));
              buffers.put(name, mask);
            });
    int epochs = ctx.recipe().epochs();
    return Phase.rounds(
        ctx,
        1,
        listener,
        k -> {
          long t0 = System.nanoTime();
          Path dir = ctx.roundDir(0);
          TrainingDivergedException diverged =
              Phase.trainOrDiverge(
                  ctx,
                  net,
                  new Schedule(ctx.model(), net, buffers, epochs),
                  epochs,
                  dir.resolve("train"));
          Masks masks = Masks.of(ctx.model(), buffers);
          RunFiles.saveSnapshot(dir.resolve(RunFiles.STATE), net);
          RoundResult r =
              Phase.result(
                  ctx, net, 0, "pruned", masks, epochs, t0, diverged, RoundWarnings.LEARNING_RATE);
          RunFiles.finish(dir, r, masks);
          return r;
        });
  }

  /** The buffer holding each layer's current mask, checkpointed with the weights. */
  static final String MASK = "weight_mask";

  /** s_t = s_f + (s_i − s_f)(1 − (t − t0)/span)³ for t0 <= t <= t0 + span. */
  static double sparsityAt(double initial, double target, long t, long t0, long span) {
    double progress = Math.min(1.0, Math.max(0.0, (double) (t - t0) / span));
    double r = 1 - progress;
    return target + (initial - target) * r * r * r;
  }

  /** Prunes the mask buffers on the schedule, after the optimiser step of each due iteration. */
  private final class Schedule implements TrainingHooks {
    private final String model;
    private final Module net;
    private final Map<String, Tensor> buffers;
    private final int epochs;
    private int stepsPerEpoch = 1;

    Schedule(String model, Module net, Map<String, Tensor> buffers, int epochs) {
      this.model = model;
      this.net = net;
      this.buffers = buffers;
      this.epochs = epochs;
    }

    @Override
    public void onStepStart(int epoch, int step, int steps) {
      stepsPerEpoch = steps;
    }

    @Override
    public void onStepEnd(int epoch, int step) {
      long total = (long) epochs * stepsPerEpoch;
      long t = (long) epoch * stepsPerEpoch + step + 1; // steps done
      long start = Math.round(config.startAt() * total);
      long end = Math.max(start + 1, Math.round(config.endAt() * total));
      if (t < start || t > end || ((t - start) % config.pruneEverySteps() != 0 && t != end)) {
        return;
      }
      double sparsity =
          sparsityAt(
              config.initialSparsity(), 1 - config.finalFractionRemaining(), t, start, end - start);
      Masks next =
          Magnitude.pruneToDensity(Masks.of(model, buffers), net, 1 - sparsity, config.scope());
      next.tensors().forEach((name, m) -> buffers.get(name).copyFrom(m.toArray()));
    }
  }
}
