package cs4j.sparsity;

import cs4j.nn.Module;
import cs4j.nn.Parameter;
import cs4j.optim.LrSchedule;
import cs4j.optim.Sgd;
import cs4j.tensor.MemoryScope;
import cs4j.train.Evaluation;
import cs4j.train.Trainer;
import cs4j.train.TrainingDivergedException;
import cs4j.train.TrainingHooks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One training phase of a method (a round, a retraining, a fine-tuning) in its own directory. */
final class Phase {
  private Phase() {}

  /**
   * Trains {@code net} for {@code epochs} with the context's data, evaluating on its eval loader
   * each epoch; checkpoints go to {@code dir}, from which an interrupted phase resumes exactly.
   */
  private static void train(
      ExperimentContext ctx,
      Module net,
      List<Sgd> optimizers,
      LrSchedule schedule,
      TrainingHooks hooks,
      int epochs,
      Path dir) {
    if (epochs == 0) {
      return;
    }
    Trainer.Options options =
        new Trainer.Options(
            epochs,
            ctx.device(),
            dir,
            ctx.recipe().checkpointEverySteps(),
            ctx.progress(),
            ctx.captureSteps(),
            ctx.steps());
    new Trainer(net, optimizers, schedule, hooks, options).fit(ctx.train(), ctx.eval());
  }

  /**
   * {@link #train(ExperimentContext, Module, List, LrSchedule, TrainingHooks, int, Path)}, except
   * that training that diverges stops there and is returned (null when it finished): the network
   * holds the weights from before the step that diverged, all finite, to test and report.
   */
  static TrainingDivergedException trainOrDiverge(
      ExperimentContext ctx,
      Module net,
      List<Sgd> optimizers,
      LrSchedule schedule,
      TrainingHooks hooks,
      int epochs,
      Path dir) {
    try {
      train(ctx, net, optimizers, schedule, hooks, epochs, dir);
      return null;
    } catch (TrainingDivergedException e) {
      return e;
    }
  }

  /** {@link #trainOrDiverge} of every parameter with the recipe's optimiser and schedule. */
  static TrainingDivergedException trainOrDiverge(
      ExperimentContext ctx, Module net, TrainingHooks hooks, int epochs, Path dir) {
    return trainOrDiverge(
        ctx,
        net,
        List.of(ctx.recipe().optimizer(net.parameters())),
        ctx.recipe().schedule(),
        hooks,
        epochs,
        dir);
  }

  static Evaluation.Result test(ExperimentContext ctx, Module net) {
    return Evaluation.run(net, ctx.test(), ctx.device());
  }

  /** The parameters of {@code net} that are not in {@code exclude} (weights vs mask logits). */
  static List<Parameter> without(Module net, List<Parameter> exclude) {
    return net.parameters().stream().filter(p -> exclude.stream().noneMatch(q -> q == p)).toList();
  }

  /** Evaluates {@code net} on the test loader and packs the round's result. */
  static RoundResult result(
      ExperimentContext ctx,
      Module net,
      int round,
      String stage,
      Masks masks,
      int epochs,
      long startNanos) {
    return result(
        ctx, net, round, stage, masks, epochs, startNanos, null, RoundWarnings.LEARNING_RATE);
  }

  /**
   * As {@link #result(ExperimentContext, Module, int, String, Masks, int, long)} for a round whose
   * training stopped with {@code diverged} (null when it finished); a warning ({@link
   * RoundWarnings}) names {@code likelyCause} when the round failed.
   */
  static RoundResult result(
      ExperimentContext ctx,
      Module net,
      int round,
      String stage,
      Masks masks,
      int epochs,
      long startNanos,
      TrainingDivergedException diverged,
      String likelyCause) {
    Evaluation.Result ev = test(ctx, net);
    return new RoundResult(
        round,
        stage,
        masks.report(),
        ev.accuracy(),
        ev.loss(),
        epochs,
        (System.nanoTime() - startNanos) / 1e9,
        ctx.device().name(),
        RoundWarnings.of(ev, diverged, likelyCause));
  }

  /** One round's work, run only when the round is not finished yet. */
  @FunctionalInterface
  interface RoundBody {
    RoundResult run(int round) throws IOException;
  }

  /**
   * Rounds 0..n−1: a finished round's result is read back, the others are run by {@code body}, in
   * order, each in a {@link MemoryScope} of its own (what a round allocates on the device is freed
   * when it ends, so memory stays flat across rounds); the listener hears every result.
   */
  static List<RoundResult> rounds(
      ExperimentContext ctx, int n, RoundListener listener, RoundBody body) throws IOException {
    List<RoundResult> results = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      RoundResult r = RunFiles.finished(ctx.roundDir(k));
      if (r == null) {
        try (MemoryScope round = ctx.device().openScope()) {
          r = body.run(k);
        }
      }
      results.add(r);
      listener.roundFinished(r);
    }
    return results;
  }

  /**
   * Trains {@code net} under {@code masks} (not applied when they prune nothing) in {@code
   * round<k>/train}, saves its final state dict as {@code state.safetensors}, evaluates it and
   * finishes the round. Training that diverges ends the round with a warning, not an exception.
   */
  static RoundResult trainRound(
      ExperimentContext ctx,
      Module net,
      Masks masks,
      TrainingHooks hooks,
      int round,
      String stage,
      int epochs,
      long startNanos)
      throws IOException {
    Path dir = ctx.roundDir(round);
    if (masks.remaining() < masks.total()) {
      masks.apply(net);
    }
    TrainingDivergedException diverged =
        trainOrDiverge(ctx, net, hooks, epochs, dir.resolve("train"));
    RunFiles.saveSnapshot(dir.resolve(RunFiles.STATE), net);
    RoundResult r =
        result(
            ctx,
            net,
            round,
            stage,
            masks,
            epochs,
            startNanos,
            diverged,
            RoundWarnings.LEARNING_RATE);
    RunFiles.finish(dir, r, masks);
    return r;
  }
}
