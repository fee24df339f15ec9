package cs4j.sparsity;

import cs4j.nn.Module;
import cs4j.ops.Ops;
import cs4j.tensor.Tensor;
import cs4j.train.TrainingHooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Small {@link TrainingHooks} building blocks the methods combine. */
final class Hooks {
  private Hooks() {}

  /** Runs {@code a} then {@code b}; their extra losses are added. */
  static TrainingHooks both(TrainingHooks a, TrainingHooks b) {
    return new TrainingHooks() {
      @Override
      public void onEpochStart(int epoch, int firstStep) {
        a.onEpochStart(epoch, firstStep);
        b.onEpochStart(epoch, firstStep);
      }

      @Override
      public void onStepStart(int epoch, int step, int stepsPerEpoch) {
        a.onStepStart(epoch, step, stepsPerEpoch);
        b.onStepStart(epoch, step, stepsPerEpoch);
      }

      @Override
      public Tensor extraLoss() {
        Tensor x = a.extraLoss();
        Tensor y = b.extraLoss();
        return x == null ? y : y == null ? x : Ops.add(x, y);
      }

      @Override
      public Object stepKey() {
        return Arrays.asList(a.stepKey(), b.stepKey());
      }

      @Override
      public void onStepEnd(int epoch, int step) {
        a.onStepEnd(epoch, step);
        b.onStepEnd(epoch, step);
      }
    };
  }

  /**
   * Saves the whole state dict of {@code net} to {@code file} at the start of {@code epoch}, before
   * its first batch: θ_k, the rewind point (weights, BN affine and running statistics). An epoch
   * resumed mid-way does not save it again: the network has trained some of its batches, and the
   * file already holds θ_k from the epoch's start.
   */
  static TrainingHooks snapshotAt(int epoch, Module net, Path file) {
    return new TrainingHooks() {
      @Override
      public void onEpochStart(int e, int firstStep) {
        if (e == epoch && firstStep == 0) {
          try {
            RunFiles.saveSnapshot(file, net);
          } catch (IOException ex) {
            throw new UncheckedIOException("cannot write rewind snapshot " + file, ex);
          }
        }
      }
    };
  }
}
