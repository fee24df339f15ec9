package cs4j.cli;

import cs4j.io.AtomicFile;
import cs4j.io.Json;
import cs4j.io.Safetensors;
import cs4j.io.SafetensorsFile;
import cs4j.nn.Module;
import cs4j.sparsity.ExperimentContext;
import cs4j.sparsity.LayerSelection;
import cs4j.sparsity.Masks;
import cs4j.sparsity.PruningMethod;
import cs4j.sparsity.RoundListener;
import cs4j.sparsity.RoundResult;
import cs4j.sparsity.RoundWarnings;
import cs4j.sparsity.TrainingRecipe;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.Tensor;
import cs4j.train.Evaluation;
import cs4j.train.Trainer;
import cs4j.train.TrainingDivergedException;
import cs4j.train.TrainingHooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retrains a saved ticket: the model starts from {@code weights} (a state dict, e.g. a run's {@code
 * rewind.safetensors}) or, without one, from its seeded initialisation; the effective weight of
 * each masked layer is {@code w ⊙ (scale·m)}, and the network trains with the run's recipe. One
 * round: {@code round0/train/} (checkpoint, metrics), {@code round0/masks.safetensors}, {@code
 * round0/result.json} (stage {@code ticket}); a finished round is read back, not redone.
 *
 * <p>The run's identity holds the SHA-256 of both files rather than their paths, so the same ticket
 * found elsewhere is the same run, and a changed file is a new one.
 */
final class TicketRetraining implements PruningMethod {
  static final String NAME = "retrain";

  /** The hashed identity of a retraining. */
  record Config(String masksSha256, String weightsSha256, double maskScale) {}

  private final Masks masks;
  private final Map<String, Tensor> weights;
  private final Config config;

  private TicketRetraining(Masks masks, Map<String, Tensor> weights, Config config) {
    this.masks = masks;
    this.weights = weights;
    this.config = config;
  }

  /**
   * Reads and checks the ticket against {@code net} (a fresh model of the run): a mask file of
   * another model or layer set, or weights of another architecture, are {@link BadInputException}s.
   */
  static TicketRetraining load(
      Path masksFile,
      Path weightsFile,
      double maskScale,
      String model,
      Module net,
      LayerSelection layers) {
    TrainingHparams.require(
        Double.isFinite(maskScale) && maskScale > 0,
        "--mask-scale must be finite and > 0, got " + maskScale);
    try {
      Masks masks = Masks.load(masksFile, model, net, layers);
      Map<String, Tensor> weights = weightsFile == null ? null : readState(weightsFile, net);
      return new TicketRetraining(
          masks,
          weights,
          new Config(
              sha256(masksFile), weightsFile == null ? null : sha256(weightsFile), maskScale));
    } catch (IOException | IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public Map<String, Object> hyperparameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("masksSha256", config.masksSha256());
    m.put("weightsSha256", config.weightsSha256());
    m.put("maskScale", config.maskScale());
    return m;
  }

  @Override
  public List<RoundResult> run(ExperimentContext ctx, RoundListener listener) throws IOException {
    Path round = ctx.roundDir(0);
    Path resultFile = round.resolve(FinishedRun.RESULT);
    if (Files.isRegularFile(resultFile)) {
      RoundResult done = RoundResult.fromMap((Map<?, ?>) Json.parse(Files.readString(resultFile)));
      listener.roundFinished(done);
      return List.of(done);
    }
    RoundResult result;
    try (MemoryScope run = ctx.device().openScope()) { // the network and optimiser of the run
      long t0 = System.nanoTime();
      Module net = ctx.newModel();
      if (weights != null) {
        net.loadStateDict(weights);
      }
      masks.apply(net, (float) config.maskScale());
      TrainingRecipe recipe = ctx.recipe();
      Trainer trainer =
          new Trainer(
              net,
              List.of(recipe.optimizer(net.parameters())),
              recipe.schedule(),
              TrainingHooks.NONE,
              new Trainer.Options(
                  recipe.epochs(),
                  ctx.device(),
                  round.resolve("train"),
                  recipe.checkpointEverySteps(),
                  ctx.progress(),
                  ctx.captureSteps(),
                  ctx.steps()));
      TrainingDivergedException diverged = null;
      try {
        trainer.fit(ctx.train(), ctx.eval());
      } catch (TrainingDivergedException e) {
        diverged = e; // the weights are those before the step that diverged
      }
      Evaluation.Result test = Evaluation.run(net, ctx.test(), ctx.device());
      masks.save(round.resolve("masks.safetensors"));
      result =
          new RoundResult(
              0,
              "ticket",
              masks.report(),
              test.accuracy(),
              test.loss(),
              recipe.epochs(),
              (System.nanoTime() - t0) / 1e9,
              ctx.device().name(),
              RoundWarnings.of(
                  test,
                  diverged,
                  config.maskScale() == 1
                      ? RoundWarnings.LEARNING_RATE
                      : RoundWarnings.ticketScale(config.maskScale(), "--mask-scale 1")));
    }
    AtomicFile.writeString(resultFile, Json.write(result.toMap()) + "\n");
    listener.roundFinished(result);
    return List.of(result);
  }

  /** The model's tensors from a state-dict file; extra optimiser entries are ignored. */
  private static Map<String, Tensor> readState(Path file, Module net) throws IOException {
    SafetensorsFile f = Safetensors.read(file);
    Map<String, Tensor> state = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : net.stateDict().entrySet()) {
      String name = e.getKey();
      if (!f.contains(name)) {
        throw new IllegalArgumentException(
            file + ": weights are for another architecture: no tensor '" + name + "'");
      }
      if (!f.shape(name).equals(e.getValue().shape())) {
        throw new IllegalArgumentException(
            file
                + ": weights are for another architecture: '"
                + name
                + "' has shape "
                + f.shape(name)
                + ", the model expects "
                + e.getValue().shape());
      }
      state.put(name, f.tensor(name));
    }
    return state;
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
