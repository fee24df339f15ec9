package cs4j.sparsity;

import cs4j.data.BatchLoader;
import cs4j.models.InitScheme;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.tensor.Device;
import cs4j.train.Progress;
import cs4j.train.Trainer;
import java.nio.file.Path;

/**
 * Everything a {@link PruningMethod} needs besides its own hyperparameters: which network (a
 * registry name, input shape, init scheme and seed, so a fresh identical model can be built at any
 * time), which layers are masked, the data, the dense training recipe, the device and the run
 * directory the method owns.
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
 * @param model registry name ({@link Models})
 * @param eval evaluated after each epoch (validation split), or null
 * @param test evaluated once per round for the reported accuracy
 * @param captureSteps replay training steps as device graphs where the device can (the results are
 *     the same; {@link Trainer.Options#captureSteps()})
 */
public record ExperimentContext(
    String model,
    InputSpec input,
    InitScheme init,
    long seed,
    LayerSelection layers,
    BatchLoader train,
    BatchLoader eval,
    BatchLoader test,
    TrainingRecipe recipe,
    Device device,
    Path runDir,
    Progress progress,
    boolean captureSteps) {

  public ExperimentContext {
    if (train == null || test == null) {
      throw new IllegalArgumentException("experiment: train and test loaders are required");
    }
    if (runDir == null) {
      throw new IllegalArgumentException("experiment: a run directory is required");
    }
    if (model == null || model.isEmpty()) {
      throw new IllegalArgumentException("experiment: a model name is required");
    }
  }

  /**
   * A freshly initialised network on the context's device, the same one every call (same seed,
   * drawn on the host). An unknown model name is refused here, with the list of known names; every
   * method builds its first network before it writes anything, so a bad name leaves no files
   * behind.
   */
  public Module newModel() {
    return Models.create(model, input, init, seed, device);
  }

  /** The directory of round {@code k}. */
  public Path roundDir(int k) {
    return runDir.resolve("round" + k);
  }

  public ExperimentContext withRecipe(TrainingRecipe r) {
    return new ExperimentContext(
        model,
        input,
        init,
        seed,
        layers,
        train,
        eval,
        test,
        r,
        device,
        runDir,
        progress,
        captureSteps);
  }

  /**
   * This context with the tensors on {@code d} (the networks are built on the host, then moved).
   */
  public ExperimentContext withDevice(Device d) {
    return new ExperimentContext(
        model,
        input,
        init,
        seed,
        layers,
        train,
        eval,
        test,
        recipe,
        d,
        runDir,
        progress,
        captureSteps);
  }

  /** This context with step capture on or off. */
  public ExperimentContext withCaptureSteps(boolean on) {
    return new ExperimentContext(
        model, input, init, seed, layers, train, eval, test, recipe, device, runDir, progress, on);
  }

  public ExperimentContext withRunDir(Path dir) {
    return new ExperimentContext(
        model,
        input,
        init,
        seed,
        layers,
        train,
        eval,
        test,
        recipe,
        device,
        dir,
        progress,
        captureSteps);
  }
}
