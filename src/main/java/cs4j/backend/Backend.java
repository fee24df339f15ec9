package cs4j.backend;

import cs4j.backend.cpu.CpuBackend;
import cs4j.tensor.Device;
import cs4j.tensor.Tensor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The primitive kernels every device implements. Ops in {@code cs4j.ops} compose these; nothing
 * here records gradients. All tensors passed to one call live on this backend's device, are
 * contiguous float32, and outputs are preallocated by the caller with the documented shapes (ops
 * check shapes before calling, so kernels may assume them).
 *
 * <p>Shape letters: N batch, C input channels, H×W input size, K output channels (or classes), R×S
 * kernel size, P×Q output size; F features in a matrix row.
 */
public interface Backend {

  Device device();

  /** What runs the kernels: the hardware and the GEMM path taken (printed at start-up). */
  String describe();

  /** The backend that runs kernels for tensors on {@code device}. */
  static Backend of(Device device) {
    if (device == Device.CPU) {
      return CpuBackend.get();
    }
    Backend b = Registry.BACKENDS.get(device);
    if (b == null) {
      throw new IllegalStateException("no backend registered for device " + device.name());
    }
    return b;
  }

  /**
   * Makes {@code backend} the one used for tensors on its device (accelerator backends call it).
   */
  static void register(Backend backend) {
    Registry.BACKENDS.put(backend.device(), backend);
  }

  /** Holder for the device → backend table (interfaces cannot have private static fields). */
  final class Registry {
    private static final Map<Device, Backend> BACKENDS = new ConcurrentHashMap<>();

    private Registry() {}
  }

  // ---- memory and elementwise -------------------------------------------------------------

  /** x ← value everywhere. */
  void fill(Tensor x, float value);

  /** x ← x + value everywhere, in place (a counter kept on the device). */
  void addScalar(Tensor x, float value);

  /** dst ← src (same number of elements). */
  void copy(Tensor src, Tensor dst);

  /**
   * dst[dstOffset, dstOffset + count) ← src[srcOffset, srcOffset + count), flat indices (callers
   * check the bounds): packing several results into one buffer for a single download.
   */
  void copySlice(Tensor src, int srcOffset, Tensor dst, int dstOffset, int count);

  /**
   * out = alpha·a + beta·b, elementwise, same shapes (out may alias a or b). When beta is 0, b is
   * not read (as in BLAS), so that scaling alone maps ±∞ to ±∞ rather than to NaN.
   */
  void axpby(float alpha, Tensor a, float beta, Tensor b, Tensor out);

  /** out = a ⊙ b, elementwise, same shapes. */
  void mul(Tensor a, Tensor b, Tensor out);

  /** y = max(x, 0). */
  void relu(Tensor x, Tensor y);

  /** dX = dY where y > 0, else 0 (y is relu's output). */
  void reluBackward(Tensor y, Tensor dY, Tensor dX);

  /** y = σ(x) = 1 / (1 + e^−x). */
  void sigmoid(Tensor x, Tensor y);

  /** dX = dY ⊙ y(1 − y) (y is sigmoid's output). */
  void sigmoidBackward(Tensor y, Tensor dY, Tensor dX);

  // ---- reductions and broadcasts ------------------------------------------------------------

  /** out[0] = Σ x, summed in a fixed order (double accumulation on the CPU). out has 1 element. */
  void sum(Tensor x, Tensor out);

  /** out = alpha · g[0] everywhere: the backward of sum and mean. g has one element. */
  void broadcastScalar(Tensor g, float alpha, Tensor out);

  /**
   * Adds a per-channel bias: x and out viewed as [outer, C, inner], bias [C]. Covers linear bias
   * ([N, F] + [F]: inner = 1) and conv bias ([N, K, P, Q] + [K]: inner = P·Q).
   */
  void addBias(Tensor x, Tensor bias, int outer, int channels, int inner, Tensor out);

  /** dBias[c] = Σ over outer and inner of dY[outer, c, inner]: the backward of addBias. */
  void biasGrad(Tensor dY, int outer, int channels, int inner, Tensor dBias);

  // ---- matrix multiply and convolution ------------------------------------------------------

  /**
   * C [M, N] = alpha · op(A) · op(B) + beta · C, row-major, where op(A) is [M, K] (A stored [K, M]
   * when transA) and op(B) is [K, N] (B stored [N, K] when transB).
   */
  void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      Tensor a,
      Tensor b,
      float beta,
      Tensor c);

  /** y [N, K, P, Q] = conv(x [N, C, H, W], w [K, C, R, S]) (cross-correlation, no bias). */
  void conv2d(Tensor x, Tensor w, Tensor y, ConvGeometry g);

  /** dX [N, C, H, W] = the gradient of conv2d with respect to x, given dY [N, K, P, Q]. */
  void conv2dBackwardData(Tensor dY, Tensor w, Tensor dX, ConvGeometry g);

  /** dW [K, C, R, S] = the gradient of conv2d with respect to w, given x and dY. Overwrites dW. */
  void conv2dBackwardWeight(Tensor x, Tensor dY, Tensor dW, ConvGeometry g);

  // ---- normalisation and pooling ------------------------------------------------------------

  /**
   * Batch-norm training forward over x [N, C, H, W]: per channel, batch mean μ and biased variance
   * σ², y = γ·(x − μ)/√(σ² + eps) + β. Saves μ [C] and invStd = 1/√(σ² + eps) [C] for backward and
   * updates running stats: r ← (1 − momentum)·r + momentum·stat, with the unbiased variance (as
   * PyTorch does).
   */
  void batchNormTrain(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float momentum,
      float eps,
      Tensor y,
      Tensor saveMean,
      Tensor saveInvStd);

  /** Batch-norm eval forward: y = γ·(x − running mean)/√(running var + eps) + β. */
  void batchNormEval(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float eps,
      Tensor y);

  /**
   * Batch-norm training backward: with x̂ = (x − μ)·invStd and M = N·H·W, dγ = Σ dY·x̂, dβ = Σ dY,
   * dX = γ·invStd/M · (M·dY − dβ − x̂·dγ).
   */
  void batchNormBackward(
      Tensor x,
      Tensor dY,
      Tensor gamma,
      Tensor saveMean,
      Tensor saveInvStd,
      Tensor dX,
      Tensor dGamma,
      Tensor dBeta);

  /**
   * {@link #batchNormTrain} followed by the residual sum (when {@code residual} [N, C, H, W] is
   * non-null) and ReLU: y = max(γ·(x − μ)·invStd + β (+ residual), 0), one output written once
   * after the statistics. Bit for bit the composition, which is this default.
   */
  default void batchNormReluTrain(
      Tensor x,
      Tensor residual,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float momentum,
      float eps,
      Tensor y,
      Tensor saveMean,
      Tensor saveInvStd) {
    batchNormTrain(x, gamma, beta, runningMean, runningVar, momentum, eps, y, saveMean, saveInvStd);
    if (residual != null) {
      axpby(1f, y, 1f, residual, y);
    }
    relu(y, y);
  }

  /**
   * {@link #batchNormEval} followed by the residual sum (when {@code residual} is non-null) and
   * ReLU: y = max(γ·(x − running mean)/√(running var + eps) + β (+ residual), 0). y may be x (in
   * place, at inference). Bit for bit the composition, which is this default.
   */
  default void batchNormReluEval(
      Tensor x,
      Tensor residual,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float eps,
      Tensor y) {
    // NOTE: accelerator kernels take restrict-qualified pointers: never pass them aliased outputs.
    Tensor affine = y == x ? Tensor.zeros(x.shape(), device()) : y;
    batchNormEval(x, gamma, beta, runningMean, runningVar, eps, affine);
    if (residual != null) {
      axpby(1f, affine, 1f, residual, affine);
    }
    relu(affine, y);
  }

  /**
   * The backward of {@link #batchNormReluTrain}, given its input x, its output y and dY (all [N, C,
   * H, W]): {@link #batchNormBackward} of the masked gradient g = (y &gt; 0 ? dY : 0), without
   * materialising g where the backend can. Bit for bit {@link #reluBackward} then {@link
   * #batchNormBackward}, which is this default.
   */
  default void batchNormReluBackward(
      Tensor x,
      Tensor y,
      Tensor dY,
      Tensor gamma,
      Tensor saveMean,
      Tensor saveInvStd,
      Tensor dX,
      Tensor dGamma,
      Tensor dBeta) {
    Tensor masked = Tensor.zeros(dY.shape(), device()); // restrict-qualified kernels: no aliasing
    reluBackward(y, dY, masked);
    batchNormBackward(x, masked, gamma, saveMean, saveInvStd, dX, dGamma, dBeta);
  }

  /**
   * Max pooling, y [N, C, P, Q]; padding counts as −∞. argmax [N, C, P, Q] receives the flat index
   * h·W + w of the chosen input in its plane (as a float: exact below 2²⁴), the first on ties.
   */
  void maxPool2d(Tensor x, Tensor y, Tensor argmax, ConvGeometry g);

  /** dX [N, C, H, W] = dY scattered to the argmax positions (summed where windows overlap). */
  void maxPool2dBackward(Tensor dY, Tensor argmax, Tensor dX, ConvGeometry g);

  /** Average pooling, y [N, C, P, Q]; padded zeros count in the divisor R·S (PyTorch's default). */
  void avgPool2d(Tensor x, Tensor y, ConvGeometry g);

  /** dX [N, C, H, W]: each dY spread evenly over its R·S window. */
  void avgPool2dBackward(Tensor dY, Tensor dX, ConvGeometry g);

  /**
   * The option-A ResNet shortcut: y [N, K, ⌈H/2⌉, ⌈W/2⌉] takes x [N, C, H, W] at even rows and
   * columns into channels [pad, pad + C), with zeros in the pad = (K − C)/2 channels either side.
   */
  void shortcutA(Tensor x, Tensor y);

  /** dX [N, C, H, W]: dY's middle channels at even positions, zero elsewhere. */
  void shortcutABackward(Tensor dY, Tensor dX);

  // ---- loss ---------------------------------------------------------------------------------

  /**
   * Softmax cross-entropy, mean over the batch: logits [N, K], labels [N] (class indices stored as
   * floats). Writes probs [N, K] = softmax(logits) and loss[0] = −(1/N) Σ log probs[n, label[n]],
   * computed stably (max subtracted, log-sum-exp).
   */
  void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor probs, Tensor loss);

  /** dLogits [N, K] = dLoss[0]/N · (probs − onehot(labels)). */
  void softmaxCrossEntropyBackward(Tensor probs, Tensor labels, Tensor dLoss, Tensor dLogits);

  /**
   * out[0] = how many rows n of logits [N, K] have their maximum (the first one, on ties; NaN never
   * wins) at class labels[n]: top-1 hits, counted where the logits are, so that accuracy needs no
   * download of them.
   */
  void countCorrect(Tensor logits, Tensor labels, Tensor out);

  // ---- stochastic ℓ0 gates ------------------------------------------------------------------

  /**
   * Hard-concrete gates (Louizos et al. 2018) of logAlpha, elementwise, all of one shape. With
   * {@code sample}: u_i = {@code Rng.floatAt(noiseState, noiseOffset + i)} clamped into [2⁻¹²⁶, 1 −
   * 2⁻²⁴] (the noise a host {@code Rng} at that state would draw), s = σ((log u − log(1 − u) + log
   * α)/T) in double, z = clamp(s·(ζ − γ) + γ, 0, 1), and dzda = ∂z/∂log α = (ζ − γ)·s(1 − s)/T
   * where the clamp is inactive, else 0. Without: the test-time gate z = clamp(σ(log α)·(ζ − γ) +
   * γ, 0, 1); dzda is not written (may be null).
   */
  void hardConcreteGate(
      Tensor logAlpha,
      boolean sample,
      long noiseState,
      long noiseOffset,
      float temperature,
      float gamma,
      float zeta,
      Tensor z,
      Tensor dzda);

  // ---- optimiser --------------------------------------------------------------------------

  /**
   * One fused SGD step in place, PyTorch's formulation: d = g + wd·w; with momentum μ > 0, buf ← d
   * on the first step, else buf ← μ·buf + (1 − dampening)·d, and d ← d + μ·buf (Nesterov) or d ←
   * buf; finally w ← w − lr·d. buf is unused (may be null) when μ = 0.
   */
  void sgdStep(
      Tensor w,
      Tensor g,
      Tensor buf,
      float lr,
      float momentum,
      float dampening,
      float weightDecay,
      boolean nesterov,
      boolean firstStep);

  // ---- the Continuous Sparsification mask ----------------------------------------------------

  /**
   * Fused CS masked weight, one pass: with σ = σ(β·s), wEff = w ⊙ c·σ and penalty[0] = λ · Σ c·σ.
   * w, s, wEff have one shape; penalty has one element.
   */
  void maskedWeight(
      Tensor w, Tensor s, float beta, float c, float lambda, Tensor wEff, Tensor penalty);

  /**
   * Fused CS masked-weight backward, one pass, σ recomputed from s: with g = dWEff and p =
   * dPenalty[0], dW = g ⊙ c·σ and dS = (g ⊙ w + λ·p) ⊙ c·β·σ(1 − σ).
   */
  void maskedWeightBackward(
      Tensor w,
      Tensor s,
      Tensor dWEff,
      Tensor dPenalty,
      float beta,
      float c,
      float lambda,
      Tensor dW,
      Tensor dS);
}
