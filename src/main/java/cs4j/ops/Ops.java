package cs4j.ops;

import cs4j.tensor.Tensor;

/**
 * The differentiable operations: each records itself on the graph (when an input requires a
 * gradient and recording is on) so that {@code Autograd.backward} can run it in reverse.
 *
 * <p>Shapes use N batch, C/K input/output channels, H×W input and P×Q output size, R×S kernel, F
 * features. Every op checks its arguments and throws {@link IllegalArgumentException} naming the
 * op, the argument, and the expected and actual shapes.
 */
public final class Ops {
  private Ops() {}

  // ---- elementwise ----------------------------------------------------------------------------

  /** a + b, same shapes (residual connections, loss terms). */
  public static Tensor add(Tensor a, Tensor b) {
    return ElementwiseOps.add(a, b);
  }

  /** a ⊙ b, same shapes. */
  public static Tensor mul(Tensor a, Tensor b) {
    return ElementwiseOps.mul(a, b);
  }

  /** alpha · x. */
  public static Tensor scale(Tensor x, float alpha) {
    return ElementwiseOps.scale(x, alpha);
  }

  /** max(x, 0). */
  public static Tensor relu(Tensor x) {
    return ElementwiseOps.relu(x);
  }

  /** σ(x) = 1 / (1 + e^−x). */
  public static Tensor sigmoid(Tensor x) {
    return ElementwiseOps.sigmoid(x);
  }

  // ---- reductions and shapes ------------------------------------------------------------------

  /** Σ x, a scalar. */
  public static Tensor sum(Tensor x) {
    return ReductionOps.sumScaled("sum", x, 1f);
  }

  /** Σ x / numel, a scalar. */
  public static Tensor mean(Tensor x) {
    return ReductionOps.sumScaled("mean", x, 1f / x.numel());
  }

  /** The same values with another shape (one −1 is inferred); shares storage. */
  public static Tensor reshape(Tensor x, int... dims) {
    return ReductionOps.reshape(x, dims);
  }

  /** x [N, ...] → [N, F] with F the product of the other dimensions. */
  public static Tensor flatten(Tensor x) {
    return ReductionOps.flatten(x);
  }

  // ---- linear algebra -------------------------------------------------------------------------

  /** a [M, K] · b [K, N] → [M, N]. */
  public static Tensor matmul(Tensor a, Tensor b) {
    return LinearOps.matmul("matmul", a, false, b, false);
  }

  /** x [N, F] + bias [F], or x [N, C, H, W] + bias [C] broadcast over the other dimensions. */
  public static Tensor addBias(Tensor x, Tensor bias) {
    return LinearOps.addBias("addBias", x, bias);
  }

  /** x [N, F] · wᵀ + b with w [K, F] (PyTorch's layout) and b [K] or null → [N, K]. */
  public static Tensor linear(Tensor x, Tensor w, Tensor b) {
    return LinearOps.linear(x, w, b);
  }

  // ---- convolution, normalisation, pooling ----------------------------------------------------

  /** x [N, C, H, W] ⋆ w [K, C, R, S] (+ b [K] or null) → [N, K, P, Q]. */
  public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding) {
    return ConvOps.conv2d(x, w, b, stride, padding);
  }

  /**
   * Batch norm over x [N, C, H, W] or [N, C] with γ, β, running mean and variance [C]. In training
   * it normalises with batch statistics and updates the running ones in place (momentum as in
   * PyTorch, unbiased variance); in eval it uses the running ones.
   */
  public static Tensor batchNorm(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps) {
    return BatchNormOps.batchNorm(x, gamma, beta, runningMean, runningVar, training, momentum, eps);
  }

  /**
   * max(batchNorm(x), 0) as one op with one output, bit for bit relu(batchNorm(...)); its backward
   * masks dY inside batch norm's. With {@code consumeX}, in eval mode with nothing to record (at
   * inference) the result overwrites x and is returned as x: pass it only for a temporary that
   * nothing else reads, such as the conv output the batch norm follows.
   */
  public static Tensor batchNormRelu(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps,
      boolean consumeX) {
    return BatchNormOps.batchNormRelu(
        x, null, gamma, beta, runningMean, runningVar, training, momentum, eps, consumeX);
  }

  /**
   * max(batchNorm(x) + residual, 0), residual of x's shape (a residual block's end), as one op with
   * one output, bit for bit relu(add(batchNorm(...), residual)); {@code consumeX} as in {@link
   * #batchNormRelu}.
   */
  public static Tensor batchNormAddRelu(
      Tensor x,
      Tensor residual,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps,
      boolean consumeX) {
    return BatchNormOps.batchNormRelu(
        x, residual, gamma, beta, runningMean, runningVar, training, momentum, eps, consumeX);
  }

  /** Max over kernel×kernel windows: x [N, C, H, W] → [N, C, P, Q]. */
  public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
    return PoolOps.maxPool2d(x, kernel, stride, padding);
  }

  /** Mean over kernel×kernel windows (padding counted in the divisor). */
  public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
    return PoolOps.avgPool2d(x, kernel, stride, padding);
  }

  /** Mean over H×W: x [N, C, H, W] → [N, C]. */
  public static Tensor globalAvgPool(Tensor x) {
    return PoolOps.globalAvgPool(x);
  }

  /** The option-A ResNet shortcut: stride-2 subsampling plus zero channels up to outChannels. */
  public static Tensor shortcutA(Tensor x, int outChannels) {
    return PoolOps.shortcutA(x, outChannels);
  }

  // ---- loss and the CS mask -------------------------------------------------------------------

  /** Mean softmax cross-entropy of logits [N, K] against class indices labels [N]. */
  public static Tensor crossEntropy(Tensor logits, Tensor labels) {
    return LossOps.crossEntropy(logits, labels);
  }

  /**
   * How many rows of logits [N, K] have their maximum (the first, on ties) at labels [N]: a scalar
   * on the logits' device, not differentiable (top-1 accuracy without downloading the logits).
   */
  public static Tensor countCorrect(Tensor logits, Tensor labels) {
    return LossOps.countCorrect(logits, labels);
  }

  /**
   * The Continuous Sparsification masked weight, fused: {@code w ⊙ c·σ(β·s)} and the penalty {@code
   * λ·Σ c·σ(β·s)}, differentiable in w and s: with g = ∂L/∂w_eff and σ = σ(β·s), {@code ∂L/∂w = g ⊙
   * c·σ} and {@code ∂L/∂s = (g ⊙ w + λ·∂L/∂penalty) ⊙ c·β·σ(1−σ)}.
   */
  public static MaskedWeight maskedWeight(Tensor w, Tensor s, float beta, float c, float lambda) {
    return MaskedWeightOps.maskedWeight(w, s, beta, c, lambda);
  }
}
