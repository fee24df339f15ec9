package cs4j.cli;

import cs4j.io.TemporaryFiles;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.sparsity.ExperimentContext;
import cs4j.sparsity.LayerSelection;
import cs4j.sparsity.Methods;
import cs4j.sparsity.PruningMethod;
import cs4j.sparsity.RoundListener;
import cs4j.sparsity.RoundResult;
import cs4j.sparsity.TrainingRecipe;
import cs4j.train.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One method run, resolved and validated before anything is written: the method with its
 * hyperparameters (checked against the training recipe), the training hyperparameters, the masked
 * layers, the data source and the run directory named by the hash of all of them. {@link #run}
 * loads the data, checks that the model fits it, and only then creates the directory and runs (or
 * resumes) the method there.
 */
public final class Experiment {
  private final PruningMethod method;
  private final TrainingHparams training;
  private final LayerSelection layers;
  private final DataSource source;
  private final RunDirectory dir;

  private Experiment(
      PruningMethod method,
      TrainingHparams training,
      LayerSelection layers,
      DataSource source,
      Path runsDir) {
    this.method = method;
    this.training = training;
    this.layers = layers;
    this.source = source;
    try {
      method.validate(recipe(training, 0));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
    this.dir =
        RunDirectory.locate(
            runsDir, method.name(), identity(method, training, layers, source.identity()));
  }

  /** The training recipe of {@code hp}, checkpointing every {@code checkpointEvery} steps. */
  private static TrainingRecipe recipe(TrainingHparams hp, int checkpointEvery) {
    return new TrainingRecipe(
        hp.epochs(),
        hp.lr(),
        hp.momentum(),
        hp.nesterov(),
        hp.weightDecay(),
        hp.milestones(),
        hp.gamma(),
        checkpointEvery);
  }

  /**
   * Method {@code name} with {@code overrides} (component name → text) on top of its defaults for
   * the model ({@link ModelDefaults#methodDefaults}) and its own. Unknown methods and impossible
   * values are {@link BadInputException}s.
   */
  public static Experiment of(
      String name,
      Map<String, String> overrides,
      TrainingHparams training,
      LayerSelection layers,
      DataSource source,
      Path runsDir) {
    Map<String, String> given =
        new LinkedHashMap<>(ModelDefaults.methodDefaults(training.model(), name));
    given.putAll(overrides);
    PruningMethod method;
    try {
      method = Methods.create(name, given);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
    return of(method, training, layers, source, runsDir);
  }

  /** An experiment with a method built outside the registry (such as {@link TicketRetraining}). */
  public static Experiment of(
      PruningMethod method,
      TrainingHparams training,
      LayerSelection layers,
      DataSource source,
      Path runsDir) {
    return new Experiment(method, training, layers, source, runsDir);
  }

  /**
   * What the run directory's hash is taken of (besides the method's name): the training and method
   * hyperparameters, the masked layers and what the data is ({@link DataSource#identity}).
   */
  static Map<String, Object> identity(
      PruningMethod method,
      TrainingHparams training,
      LayerSelection layers,
      Map<String, Object> data) {
    Map<String, Object> id = new LinkedHashMap<>();
    id.put("training", training);
    id.put("data", data);
    id.put("layers", layers);
    id.put("method", method.hyperparameters());
    return id;
  }

  public PruningMethod method() {
    return method;
  }

  public TrainingHparams training() {
    return training;
  }

  public RunDirectory directory() {
    return dir;
  }

  /** Loads the data of this experiment and checks that the model can be built for it. */
  public ExperimentData loadData() {
    return loadData(source, training);
  }

  /** Loads the data of {@code source} and checks that the model of {@code hp} fits it. */
  static ExperimentData loadData(DataSource source, TrainingHparams hp) {
    ExperimentData data = ExperimentData.load(source, hp);
    newModel(hp, data);
    return data;
  }

  /** The freshly initialised model of {@code hp} for {@code data}'s input. */
  static Module newModel(TrainingHparams hp, ExperimentData data) {
    try {
      return Models.create(hp.model(), data.input(), hp.init(), hp.seed());
    } catch (IllegalArgumentException e) {
      throw new BadInputException(
          "model " + hp.model() + " does not fit " + hp.dataset() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs or resumes the method in its run directory on {@code data} (from {@link #loadData}), as
   * {@code execution} says (device, step capture, checkpoints): recorded in {@code hparams.json},
   * not part of the run's identity, nor is what the run found in its data (class count, image
   * shape, normalisation: {@link ExperimentData#record}). The directory is locked from before its
   * {@code hparams.json} is read until the run ends ({@link RunLock}): a command on a run that
   * another one is running is refused. Holding the lock, it removes the temporaries that a crash
   * during a file write left there.
   */
  public List<RoundResult> run(
      ExperimentData data, Execution execution, Progress progress, RoundListener listener) {
    try (RunLock lock = RunLock.acquire(dir.path())) {
      Map<String, Object> runtime = execution.record();
      runtime.put("data", data.record());
      Path runDir = dir.prepare(runtime);
      TemporaryFiles.removeLeftovers(runDir);
      ExperimentContext ctx =
          ExperimentContext.builder()
              .model(training.model(), data.input())
              .init(training.init())
              .seed(training.seed())
              .layers(layers)
              .data(data.train(), data.validation(), data.test())
              .recipe(recipe(training, execution.checkpointEvery()))
              .device(execution.device())
              .runDir(runDir)
              .progress(progress)
              .captureSteps(execution.captureSteps())
              .build();
      return method.run(ctx, listener);
    } catch (IOException e) {
      throw new UncheckedIOException("run " + dir.path() + " failed", e);
    }
  }
}
