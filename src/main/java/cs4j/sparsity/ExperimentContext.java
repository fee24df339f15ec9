package cs4j.sparsity;

import cs4j.data.BatchSource;
import cs4j.models.InitScheme;
import cs4j.models.InputSpec;
import cs4j.nn.Module;
import cs4j.tensor.Device;
import cs4j.train.Progress;
import cs4j.train.StepListener;
import cs4j.train.Trainer;
import java.nio.file.Path;

/**
 * Everything a {@link PruningMethod} needs besides its own hyperparameters: which network (a
 * supplier of fresh identical networks and the name its masks are saved under), which layers are
 * masked, the data, the dense training recipe, the device and the run directory the method owns.
 * Build one with {@link #builder()}.
 *
 * <p>Run directory layout written by the methods:
 *
 * <pre>
 *   runDir/rewind.safetensors          state dict at the rewind epoch (methods that rewind)
 *   runDir/round&lt;k&gt;/train/             Trainer checkpoint + metrics.jsonl of round k's training
 *   runDir/round&lt;k&gt;/retrain/           ... of its retraining / fine-tuning, when there is one
 *   runDir/round&lt;k&gt;/state.safetensors  model + optimiser state at the end of round k
 *   runDir/round&lt;k&gt;/masks.safetensors  the round's masks ({@link Masks#save})
 *   runDir/round&lt;k&gt;/result.json        the {@link RoundResult}; its presence marks the round done
 * </pre>
 *
 * @param model the network's name: a registry name, or an embedder's label for their own network;
 *     masks are saved under it and refused when loaded for another
 * @param models fresh identical networks on the host
 * @param seed the seed of a method's own randomness (ℓ0's gate noise, random masks)
 * @param eval evaluated after each epoch (validation split), or null
 * @param test evaluated once per round for the reported accuracy
 * @param steps told about every training step of every phase, in order
 * @param captureSteps replay training steps as device graphs where the device can (the results are
 *     the same; {@link Trainer.Options#captureSteps()})
 */
public record ExperimentContext(
    String model,
    ModelSupplier models,
    long seed,
    LayerSelection layers,
    BatchSource train,
    BatchSource eval,
    BatchSource test,
    TrainingRecipe recipe,
    Device device,
    Path runDir,
    Progress progress,
    StepListener steps,
    boolean captureSteps) {

  public ExperimentContext {
    if (train == null || test == null) {
      throw new IllegalArgumentException("experiment: train and test data are required");
    }
    if (runDir == null) {
      throw new IllegalArgumentException("experiment: a run directory is required");
    }
    if (model == null || model.isEmpty() || models == null) {
      throw new IllegalArgumentException("experiment: a model (name and networks) is required");
    }
    if (layers == null || recipe == null || device == null || progress == null || steps == null) {
      throw new IllegalArgumentException(
          "experiment: layers, recipe, device, progress and steps are required");
    }
  }

  /**
   * A fresh context: set at least the model, the train and test data and the run directory. The
   * rest defaults to seed 1234, {@link LayerSelection#CONV3X3}, {@link TrainingRecipe#reference()},
   * the CPU, no evaluation data, silent progress, no step listener and no step capture.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this context's values, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.model = model;
    b.models = models;
    b.seed = seed;
    b.layers = layers;
    b.train = train;
    b.eval = eval;
    b.test = test;
    b.recipe = recipe;
    b.device = device;
    b.runDir = runDir;
    b.progress = progress;
    b.steps = steps;
    b.captureSteps = captureSteps;
    return b;
  }

  /**
   * A freshly initialised network on the context's device, the same one every call (drawn on the
   * host, then moved). An unknown registry name is refused here, with the list of known names;
   * every method builds its first network before it writes anything, so a bad name leaves no files
   * behind.
   */
  public Module newModel() {
    return models.create().to(device);
  }

  /** The directory of round {@code k}. */
  public Path roundDir(int k) {
    return runDir.resolve("round" + k);
  }

  public ExperimentContext withRecipe(TrainingRecipe r) {
    return toBuilder().recipe(r).build();
  }

  /**
   * This context with the tensors on {@code d} (the networks are built on the host, then moved).
   */
  public ExperimentContext withDevice(Device d) {
    return toBuilder().device(d).build();
  }

  /** This context with step capture on or off. */
  public ExperimentContext withCaptureSteps(boolean on) {
    return toBuilder().captureSteps(on).build();
  }

  public ExperimentContext withRunDir(Path dir) {
    return toBuilder().runDir(dir).build();
  }

  /** Collects an {@link ExperimentContext}'s values; {@link #build()} checks them. */
  public static final class Builder {
    private String model;
    private ModelSupplier models;
    private InputSpec input;
    private InitScheme init = InitScheme.XAVIER_NORMAL;
    private long seed = 1234;
    private LayerSelection layers = LayerSelection.CONV3X3;
    private BatchSource train;
    private BatchSource eval;
    private BatchSource test;
    private TrainingRecipe recipe = TrainingRecipe.reference();
    private Device device = Device.CPU;
    private Path runDir;
    private Progress progress = Progress.silent();
    private StepListener steps = StepListener.NONE;
    private boolean captureSteps;

    private Builder() {}

    /**
     * Model {@code name} of the registry for inputs of {@code input}, initialised by {@link #init}
     * (default Xavier-normal) from {@link #seed}.
     */
    public Builder model(String name, InputSpec input) {
      this.model = name;
      this.input = input;
      this.models = null;
      return this;
    }

    /** An embedder's own network, named {@code name} in its masks, built by {@code networks}. */
    public Builder model(String name, ModelSupplier networks) {
      this.model = name;
      this.models = networks;
      this.input = null;
      return this;
    }

    public Builder init(InitScheme scheme) {
      this.init = scheme;
      return this;
    }

    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    public Builder layers(LayerSelection selection) {
      this.layers = selection;
      return this;
    }

    /** Training data, and the data evaluated after each epoch (or null for none). */
    public Builder data(BatchSource trainData, BatchSource evalData, BatchSource testData) {
      this.train = trainData;
      this.eval = evalData;
      this.test = testData;
      return this;
    }

    public Builder recipe(TrainingRecipe r) {
      this.recipe = r;
      return this;
    }

    public Builder device(Device d) {
      this.device = d;
      return this;
    }

    public Builder runDir(Path dir) {
      this.runDir = dir;
      return this;
    }

    public Builder progress(Progress p) {
      this.progress = p;
      return this;
    }

    public Builder steps(StepListener listener) {
      this.steps = listener;
      return this;
    }

    public Builder captureSteps(boolean on) {
      this.captureSteps = on;
      return this;
    }

    public ExperimentContext build() {
      ModelSupplier networks =
          models != null || model == null || input == null
              ? models
              : ModelSupplier.registry(model, input, init, seed);
      return new ExperimentContext(
          model,
          networks,
          seed,
          layers,
          train,
          eval,
          test,
          recipe,
          device,
          runDir,
          progress,
          steps,
          captureSteps);
    }
  }
}
