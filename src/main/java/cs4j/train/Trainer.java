package cs4j.train;

import cs4j.autograd.Autograd;
import cs4j.backend.Backend;
import cs4j.data.Batch;
import cs4j.data.BatchSource;
import cs4j.data.BatchStream;
import cs4j.io.CrashPoint;
import cs4j.nn.Module;
import cs4j.ops.Ops;
import cs4j.optim.LrSchedule;
import cs4j.optim.Sgd;
import cs4j.tensor.Device;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: epochs of SGD steps on cross-entropy (plus any penalty a {@link TrainingHooks}
 * adds), evaluation after each epoch, metrics to a JSONL file, checkpoints that resume exactly.
 *
 * <p>On any device: each step runs inside a {@link MemoryScope}, so its activations, gradients and
 * temporaries are freed when it ends, and the host waits for the device once per step, after the
 * backward pass is enqueued, to read the loss, the cross-entropy and the hit count together (the
 * non-finite check happens there, before the optimisers apply anything). The model, its optimisers
 * and the hooks' state must already live on {@code options.device()}.
 *
 * <p>Exact resume: batches are a pure function of (loader seed, epoch, batch index) and CPU kernels
 * give identical bits for any thread count, so a run restarted from its checkpoint at (epoch, step)
 * reaches the same weights as one never interrupted. The checkpoint stores that position and the
 * running sums of the epoch's train metrics; the loader's seed is the whole RNG state.
 */
public final class Trainer {
  /** The checkpoint file name inside a run directory. */
  public static final String CHECKPOINT = "checkpoint.safetensors";

  /** The metrics file name inside a run directory. */
  public static final String METRICS = "metrics.jsonl";

  /**
   * @param epochs total epochs to train (a resumed run stops at the same total)
   * @param device where the model lives; batches are moved there
   * @param runDir directory for checkpoint and metrics, or null for neither
   * @param checkpointEverySteps also checkpoint every this many steps inside an epoch (0: only at
   *     epoch ends)
   * @param progress where progress is reported
   * @param captureSteps replay training steps as device graphs where the device can ({@link
   *     Device#capturesGraphs()}); results are the same as eager steps'
   * @param steps told about every step: its loss, cross-entropy, hits and learning rate
   */
  public record Options(
      int epochs,
      Device device,
      Path runDir,
      int checkpointEverySteps,
      Progress progress,
      boolean captureSteps,
      StepListener steps) {
    public Options {
      if (epochs < 0) {
        throw new IllegalArgumentException("Trainer: epochs must be >= 0, got " + epochs);
      }
      if (checkpointEverySteps < 0) {
        throw new IllegalArgumentException(
            "Trainer: checkpointEverySteps must be >= 0, got " + checkpointEverySteps);
      }
      if (device == null || progress == null || steps == null) {
        throw new IllegalArgumentException("Trainer: device, progress and steps are required");
      }
    }

    public static Options of(int epochs) {
      return new Options(epochs, Device.CPU, null, 0, Progress.auto(), false, StepListener.NONE);
    }

    public Options withDevice(Device d) {
      return new Options(epochs, d, runDir, checkpointEverySteps, progress, captureSteps, steps);
    }

    public Options withRunDir(Path dir) {
      return new Options(epochs, device, dir, checkpointEverySteps, progress, captureSteps, steps);
    }

    public Options withProgress(Progress p) {
      return new Options(epochs, device, runDir, checkpointEverySteps, p, captureSteps, steps);
    }

    public Options withCheckpointEverySteps(int every) {
      return new Options(epochs, device, runDir, every, progress, captureSteps, steps);
    }

    public Options withCaptureSteps(boolean on) {
      return new Options(epochs, device, runDir, checkpointEverySteps, progress, on, steps);
    }

    public Options withSteps(StepListener listener) {
      return new Options(
          epochs, device, runDir, checkpointEverySteps, progress, captureSteps, listener);
    }
  }

  private final Module model;
  private final List<Sgd> optimizers;
  private final LrSchedule schedule;
  private final TrainingHooks hooks;
  private final Options options;
  private Object lastKey;
  private CapturedStep captured;

  public Trainer(
      Module model,
      List<Sgd> optimizers,
      LrSchedule schedule,
      TrainingHooks hooks,
      Options options) {
    if (optimizers.isEmpty()) {
      throw new IllegalArgumentException("Trainer: needs at least one optimiser");
    }
    this.model = model;
    this.optimizers = List.copyOf(optimizers);
    this.schedule = schedule;
    this.hooks = hooks;
    this.options = options;
  }

  /** Running sums of one epoch's training metrics. */
  private static final class EpochSums {
    double loss;
    long correct;
    long images;
  }

  /**
   * Trains until {@code options.epochs()} epochs are done, resuming from the run directory's
   * checkpoint if there is one; returns the metrics of the epochs run by this call.
   *
   * @param eval evaluated after every epoch, or null
   */
  public List<EpochMetrics> fit(BatchSource train, BatchSource eval) {
    Checkpoint.Position start = new Checkpoint.Position(0, 0);
    EpochSums sums = new EpochSums();
    Path ckpt = options.runDir() == null ? null : options.runDir().resolve(CHECKPOINT);
    if (ckpt != null && Files.exists(ckpt)) {
      start = resume(ckpt, sums);
    }
    lastKey = null; // a step is captured after two of this call's own steps agree
    try {
      return epochs(train, eval, ckpt, start, sums);
    } finally {
      dropCapturedStep();
    }
  }

  private List<EpochMetrics> epochs(
      BatchSource train, BatchSource eval, Path ckpt, Checkpoint.Position start, EpochSums sums) {
    MetricsLog log =
        options.runDir() == null ? null : new MetricsLog(options.runDir().resolve(METRICS));
    if (log != null) {
      log.keepEpochs(start.epoch()); // a kill between a line and its checkpoint left one extra
    }
    int steps = train.batchesPerEpoch();
    List<EpochMetrics> history = new ArrayList<>();
    model.train(true);
    for (int epoch = start.epoch(); epoch < options.epochs(); epoch++) {
      long t0 = System.nanoTime();
      int first = epoch == start.epoch() ? start.step() : 0;
      if (first == 0) {
        sums = new EpochSums();
      }
      hooks.onEpochStart(epoch, first);
      try (BatchStream stream = train.epoch(epoch, first)) {
        for (int step = first; stream.hasNext(); step++) {
          trainStep(stream.next(), epoch, step, steps, sums);
          if (ckpt != null
              && options.checkpointEverySteps() > 0
              && (step + 1) % options.checkpointEverySteps() == 0
              && step + 1 < steps) {
            save(ckpt, new Checkpoint.Position(epoch, step + 1), sums);
          }
        }
      }
      Evaluation.Result ev = eval == null ? null : Evaluation.run(model, eval, options.device());
      EpochMetrics m =
          new EpochMetrics(
              epoch,
              (long) (epoch + 1) * steps,
              optimizers.get(0).groups().get(0).lr() * schedule.scale(epoch),
              sums.loss / sums.images,
              (double) sums.correct / sums.images,
              ev == null ? Double.NaN : ev.loss(),
              ev == null ? Double.NaN : ev.accuracy(),
              (System.nanoTime() - t0) / 1e9);
      options.progress().epochEnd(m, options.epochs());
      if (log != null) {
        log.append(m);
        CrashPoint.reached("metrics");
      }
      if (ckpt != null) {
        save(ckpt, new Checkpoint.Position(epoch + 1, 0), new EpochSums());
      }
      history.add(m);
    }
    return history;
  }

  private void trainStep(Batch batch, int epoch, int step, int steps, EpochSums sums) {
    double lrScale = schedule.scale(epoch + (double) step / steps);
    optimizers.forEach(o -> o.setLrScale(lrScale));
    hooks.onStepStart(epoch, step, steps);
    Object key = captureKey(lrScale, batch);
    float[] read;
    if (key == null || !key.equals(lastKey)) {
      dropCapturedStep();
      lastKey = key;
      read = eagerStep(batch, epoch, step);
    } else {
      if (captured == null) {
        captured =
            CapturedStep.record(
                key, batch, options.device(), this::gradients, this::applyOptimizers);
      }
      read = captured.gradients(batch);
      checkFinite(read, captured.lossSource(), epoch, step);
      captured.update();
    }
    hooks.onStepEnd(epoch, step);
    options
        .steps()
        .stepDone(
            new StepMetrics(
                epoch,
                step,
                steps,
                read[0],
                read[1],
                (int) read[2],
                batch.size(),
                optimizers.get(0).groups().get(0).lr() * lrScale));
    sums.loss += read[1] * batch.size();
    sums.correct += (long) read[2];
    sums.images += batch.size();
    options
        .progress()
        .step(
            epoch,
            options.epochs(),
            step + 1,
            steps,
            sums.loss / sums.images,
            (double) sums.correct / sums.images);
  }

  /** One step issued op by op, in a scope of its own; returns [loss, cross-entropy, hits]. */
  private float[] eagerStep(Batch batch, int epoch, int step) {
    Device device = options.device();
    try (MemoryScope scope = device.openScope()) {
      Tensor readout = Tensor.zeros(device, 3);
      String source = gradients(batch.images().to(device), batch.labels().to(device), readout);
      float[] read = readout.toArray(); // the step's one wait for the device
      checkFinite(read, source, epoch, step);
      applyOptimizers();
      return read;
    }
  }

  /**
   * Forward and backward of one batch on the device, without waiting for it: the loss, the
   * cross-entropy and the hit count go into readout [3]. Returns where the loss comes from.
   */
  private String gradients(Tensor images, Tensor labels, Tensor readout) {
    Tensor logits = model.forward(images);
    Tensor ce = Ops.crossEntropy(logits, labels);
    Tensor extra = hooks.extraLoss();
    Tensor loss = extra == null ? ce : Ops.add(ce, extra);
    optimizers.forEach(Sgd::zeroGrad);
    Autograd.backwardWithoutSync(loss);
    Backend b = Backend.of(readout.device());
    b.copySlice(loss, 0, readout, 0, 1);
    b.copySlice(ce, 0, readout, 1, 1);
    b.copySlice(Ops.countCorrect(logits, labels), 0, readout, 2, 1);
    return Autograd.source(loss);
  }

  private void applyOptimizers() {
    optimizers.forEach(Sgd::step);
  }

  private static void checkFinite(float[] read, String source, int epoch, int step) {
    if (!Float.isFinite(read[0])) {
      throw new TrainingDivergedException(epoch, step, "the loss" + source + " is " + read[0]);
    }
  }

  /**
   * What a captured step freezes besides tensor addresses, or null when steps run eagerly (capture
   * off, or a device that cannot capture).
   */
  private Object captureKey(double lrScale, Batch batch) {
    if (!options.captureSteps() || !options.device().capturesGraphs()) {
      return null;
    }
    List<Object> key = new ArrayList<>();
    key.add(lrScale);
    key.add(batch.size());
    optimizers.forEach(o -> key.add(o.startedParameters()));
    key.add(hooks.stepKey());
    return key;
  }

  private void dropCapturedStep() {
    if (captured != null) {
      captured.close();
      captured = null;
    }
  }

  private void save(Path ckpt, Checkpoint.Position next, EpochSums sums) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("epoch_loss_sum", Double.toString(sums.loss));
    meta.put("epoch_correct", Long.toString(sums.correct));
    meta.put("epoch_images", Long.toString(sums.images));
    try {
      Checkpoint.save(ckpt, model, optimizers, next, meta);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + ckpt, e);
    }
    CrashPoint.reached("checkpoint");
  }

  /**
   * Restores the checkpoint and the epoch's running sums it holds; the sums are checked with the
   * rest of the file before anything is loaded.
   */
  private Checkpoint.Position resume(Path ckpt, EpochSums sums) {
    try {
      Checkpoint.Checked checked = Checkpoint.check(ckpt, model, optimizers);
      Map<String, String> meta = checked.restored().metadata();
      double loss =
          Checkpoint.metadata(
              ckpt, meta, "epoch_loss_sum", Double::valueOf, Double::isFinite, "a finite number");
      long correct =
          Checkpoint.metadata(
              ckpt, meta, "epoch_correct", Long::valueOf, n -> n >= 0, "an integer >= 0");
      long images =
          Checkpoint.metadata(
              ckpt, meta, "epoch_images", Long::valueOf, n -> n >= 0, "an integer >= 0");
      Checkpoint.Position position = checked.load().position();
      sums.loss = loss;
      sums.correct = correct;
      sums.images = images;
      return position;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + ckpt, e);
    }
  }
}
