package cs4j.nn;

import cs4j.backend.Backend;
import cs4j.ops.Ops;
import cs4j.tensor.Tensor;

/**
 * Batch normalisation over channels of x [N, C, H, W] (or [N, C]), PyTorch's defaults: eps 1e-5,
 * momentum 0.1, affine. State names: {@code weight} (γ), {@code bias} (β), {@code running_mean},
 * {@code running_var}, {@code num_batches_tracked} (a float scalar here; written as int64 in
 * checkpoints). The batch counter is counted where the buffer lives, with no host state, so that a
 * captured training step that replays the forward counts too.
 */
public final class BatchNorm2d extends Module {
  public static final float DEFAULT_EPS = 1e-5f;
  public static final float DEFAULT_MOMENTUM = 0.1f;

  private final Parameter gamma;
  private final Parameter beta;
  private final Tensor runningMean;
  private final Tensor runningVar;
  private final Tensor batchesTracked;
  private final float eps;
  private final float momentum;

  public BatchNorm2d(int channels) {
    this(channels, DEFAULT_EPS, DEFAULT_MOMENTUM);
  }

  public BatchNorm2d(int channels, float eps, float momentum) {
    if (channels <= 0) {
      throw new IllegalArgumentException("BatchNorm2d: channels must be positive, got " + channels);
    }
    this.gamma = registerParameter("weight", Tensor.ones(channels));
    this.beta = registerParameter("bias", Tensor.zeros(channels));
    this.runningMean = registerBuffer("running_mean", Tensor.zeros(channels));
    this.runningVar = registerBuffer("running_var", Tensor.ones(channels));
    this.batchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros());
    this.eps = eps;
    this.momentum = momentum;
  }

  @Override
  public Tensor forward(Tensor x) {
    countBatch();
    return Ops.batchNorm(
        x, gamma.value(), beta.value(), runningMean, runningVar, isTraining(), momentum, eps);
  }

  /**
   * relu(forward(conv.forward(x))), with batch norm and ReLU as one op ({@link Ops#batchNormRelu}).
   * The conv output is this call's own temporary, so at inference (eval, no gradients) batch norm
   * and ReLU overwrite it rather than allocate.
   */
  public Tensor forwardReluAfter(Conv2d conv, Tensor x) {
    Tensor convOut = conv.forward(x);
    countBatch();
    return Ops.batchNormRelu(
        convOut,
        gamma.value(),
        beta.value(),
        runningMean,
        runningVar,
        isTraining(),
        momentum,
        eps,
        true);
  }

  /**
   * relu(forward(conv.forward(x)) + residual) as one op ({@link Ops#batchNormAddRelu}), residual of
   * the conv output's shape; in place at inference as {@link #forwardReluAfter}.
   */
  public Tensor forwardAddReluAfter(Conv2d conv, Tensor x, Tensor residual) {
    Tensor convOut = conv.forward(x);
    countBatch();
    return Ops.batchNormAddRelu(
        convOut,
        residual,
        gamma.value(),
        beta.value(),
        runningMean,
        runningVar,
        isTraining(),
        momentum,
        eps,
        true);
  }

  private void countBatch() {
    if (isTraining()) {
      Backend.of(batchesTracked.device()).addScalar(batchesTracked, 1f); // no host sync
    }
  }

  public Parameter gamma() {
    return gamma;
  }

  public Parameter beta() {
    return beta;
  }

  public Tensor runningMean() {
    return runningMean;
  }

  public Tensor runningVar() {
    return runningVar;
  }
}
