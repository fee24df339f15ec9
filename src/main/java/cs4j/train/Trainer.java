package cs4j.train;

import cs4j.autograd.Autograd;
import cs4j.backend.HostTransfer;
import cs4j.data.Batch;
import cs4j.data.BatchLoader;
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
 * are deterministic for a fixed thread count, so a run restarted from its checkpoint at (epoch,
 * step) reaches the same weights as one never interrupted. The checkpoint stores that position and
 * the running sums of the epoch's train metrics; the loader's seed is the whole RNG state.
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
   */
  public record Options(
      int epochs, Device device, Path runDir, int checkpointEverySteps, Progress progress) {
    public Options {
      if (epochs < 0) {
        throw new IllegalArgumentException("Trainer: epochs must be >= 0, got " + epochs);
      }
      if (checkpointEverySteps < 0) {
        throw new IllegalArgumentException(
            "Trainer: checkpointEverySteps must be >= 0, got " + checkpointEverySteps);
      }
    }

    public static Options of(int epochs) {
      return new Options(epochs, Device.CPU, null, 0, Progress.auto());
    }

    public Options withDevice(Device d) {
      return new Options(epochs, d, runDir, checkpointEverySteps, progress);
    }

    public Options withRunDir(Path dir) {
      return new Options(epochs, device, dir, checkpointEverySteps, progress);
    }

    public Options withProgress(Progress p) {
      return new Options(epochs, device, runDir, checkpointEverySteps, p);
    }

    public Options withCheckpointEverySteps(int steps) {
      return new Options(epochs, device, runDir, steps, progress);
    }
  }

  private final Module model;
  private final List<Sgd> optimizers;
  private final LrSchedule schedule;
  private final TrainingHooks hooks;
  private final Options options;

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
  public List<EpochMetrics> fit(BatchLoader train, BatchLoader eval) {
    Checkpoint.Position start = new Checkpoint.Position(0, 0);
    EpochSums sums = new EpochSums();
    Path ckpt = options.runDir() == null ? null : options.runDir().resolve(CHECKPOINT);
    if (ckpt != null && Files.exists(ckpt)) {
      start = resume(ckpt, sums);
    }
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
          try (MemoryScope scope = options.device().openScope()) {
            trainStep(stream.next(), epoch, step, steps, sums);
          }
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
    Tensor labels = batch.labels().to(options.device());
    Tensor logits = model.forward(batch.images().to(options.device()));
    Tensor ce = Ops.crossEntropy(logits, labels);
    Tensor extra = hooks.extraLoss();
    Tensor loss = extra == null ? ce : Ops.add(ce, extra);
    optimizers.forEach(Sgd::zeroGrad);
    Autograd.backwardWithoutSync(loss);
    // The step's one wait for the device: loss, cross-entropy and hits in one transfer.
    float[] read = HostTransfer.scalars(List.of(loss, ce, Ops.countCorrect(logits, labels)));
    if (!Float.isFinite(read[0])) {
      throw new TrainingDivergedException(
          epoch, step, "the loss" + Autograd.source(loss) + " is " + read[0]);
    }
    optimizers.forEach(Sgd::step);
    hooks.onStepEnd(epoch, step);
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
      double loss = Double.parseDouble(meta.getOrDefault("epoch_loss_sum", "0"));
      long correct = Long.parseLong(meta.getOrDefault("epoch_correct", "0"));
      long images = Long.parseLong(meta.getOrDefault("epoch_images", "0"));
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
