package cs4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;

import cs4j.backend.Backend;
import cs4j.backend.ConvGeometry;
import cs4j.tensor.Tensor;

/**
 * {@link Backend} on CUDA device 0: every primitive is one or a few launches of our kernels (PTX
 * from kernels/*.cu) on the calling thread's stream, with no host sync; GEMM by cuBLAS or our
 * kernels ({@link CudaGemm}). Scalars the next kernel needs (a loss gradient, the penalty's
 * gradient) are read on the device. Sums are deterministic: fixed-shape partial sums, then one
 * block adds them in order.
 *
 * <p>Obtain it with {@link Cuda#backend(int)}, which also registers it for its {@link CudaDevice}.
 */
public final class CudaBackend implements Backend {
  private static final System.Logger LOG = System.getLogger(CudaBackend.class.getName());

  private final CudaContext ctx;
  private final CudaDevice device;
  private final CudaLauncher launcher;
  private final CudaGemm gemm;
  private final CudaConv conv;
  private final CudaBatchNorm batchNorm;

  /** The backend on a live context: our PTX launched by the driver, GEMM as configured. */
  CudaBackend(CudaContext ctx) {
    this(ctx, new CudaDevice(ctx, DeviceBlocks.on(ctx)));
  }

  private CudaBackend(CudaContext ctx, CudaDevice device) {
    this(
        ctx,
        device,
        ctx.smCount,
        new NativeKernels(ctx, device),
        System.getProperty("cs4j.cuda.gemm", "auto"));
    LOG.log(System.Logger.Level.INFO, "cs4j CUDA backend: {0}", describe());
  }

  /**
   * The backend over any device and launch driver; the tests that check every launch against the
   * PTX without a GPU pass a null context, stand-in memory, a recording driver and gemm "kernels".
   */
  CudaBackend(
      CudaContext ctx, CudaDevice device, int smCount, KernelDriver driver, String gemmMode) {
    this.ctx = ctx;
    this.device = device;
    this.launcher = new CudaLauncher(device, smCount, driver);
    TileRunner tiles = new TileRunner(launcher);
    this.gemm = new CudaGemm(ctx, device, tiles, gemmMode);
    this.conv = new CudaConv(tiles);
    this.batchNorm = new CudaBatchNorm(launcher);
  }

  @Override
  public CudaDevice device() {
    return device;
  }

  /** The GPU, the driver and the GEMM path taken (reported at start-up). */
  @Override
  public String describe() {
    return ctx.describe() + "; GEMM: " + gemm.describe();
  }

  /** The context and stream (for event timing in the GPU benchmark). */
  CudaContext context() {
    return ctx;
  }

  /** True when GEMM runs on cuBLAS, false when on our kernels. */
  public boolean gemmUsesCublas() {
    return gemm.usesCublas();
  }

  private static long vec4(int n) {
    return (n + 3L) / 4;
  }

  // ---- memory and elementwise -------------------------------------------------------------

  @Override
  public void fill(Tensor x, float value) {
    launcher.launch1d("elementwise", "cs4j_fill", vec4(x.numel()), x, value, x.numel());
  }

  @Override
  public void addScalar(Tensor x, float value) {
    launcher.launch1d("elementwise", "cs4j_add_scalar", vec4(x.numel()), x, value, x.numel());
  }

  @Override
  public void copy(Tensor src, Tensor dst) {
    cuMemcpyDtoDAsync(
        device.ptr(dst, "copy"), device.ptr(src, "copy"), 4L * src.numel(), ctx.stream());
  }

  @Override
  public void copySlice(Tensor src, int srcOffset, Tensor dst, int dstOffset, int count) {
    cuMemcpyDtoDAsync(
        device.ptr(dst, "copySlice").withByteOffset(4L * dstOffset),
        device.ptr(src, "copySlice").withByteOffset(4L * srcOffset),
        4L * count,
        ctx.stream());
  }

  @Override
  public void axpby(float alpha, Tensor a, float beta, Tensor b, Tensor out) {
    int n = out.numel();
    launcher.launch1d("elementwise", "cs4j_axpby", vec4(n), alpha, a, beta, b, out, n);
  }

  @Override
  public void mul(Tensor a, Tensor b, Tensor out) {
    int n = out.numel();
    launcher.launch1d("elementwise", "cs4j_mul", vec4(n), a, b, out, n);
  }

  @Override
  public void relu(Tensor x, Tensor y) {
    launcher.launch1d("elementwise", "cs4j_relu", vec4(x.numel()), x, y, x.numel());
  }

  @Override
  public void reluBackward(Tensor y, Tensor dY, Tensor dX) {
    launcher.launch1d("elementwise", "cs4j_relu_backward", vec4(y.numel()), y, dY, dX, y.numel());
  }

  @Override
  public void sigmoid(Tensor x, Tensor y) {
    launcher.launch1d("elementwise", "cs4j_sigmoid", vec4(x.numel()), x, y, x.numel());
  }

  @Override
  public void sigmoidBackward(Tensor y, Tensor dY, Tensor dX) {
    launcher.launch1d(
        "elementwise", "cs4j_sigmoid_backward", vec4(y.numel()), y, dY, dX, y.numel());
  }

  // ---- reductions and broadcasts ------------------------------------------------------------

  @Override
  public void sum(Tensor x, Tensor out) {
    sumInto("reduce", "cs4j_sum_partial", x.numel(), 1.0, out, x, x.numel());
  }

  /**
   * Runs a partial-sum kernel (its arguments, then the partials buffer) over n elements in
   * reduceBlocks(n) blocks, then cs4j_sum_finish: out[0] = scale · Σ partials.
   */
  private void sumInto(
      String module, String kernel, int n, double scale, Tensor out, Object... args) {
    int blocks = CudaLauncher.reduceBlocks(n);
    try (CudaLauncher.Temp partials = launcher.temp(8L * blocks)) {
      Object[] all = new Object[args.length + 1];
      System.arraycopy(args, 0, all, 0, args.length);
      all[args.length] = partials;
      launcher.launch(module, kernel, blocks, 1, 1, all);
      launcher.launch("reduce", "cs4j_sum_finish", 1, 1, 1, partials, blocks, scale, out);
    }
  }

  @Override
  public void broadcastScalar(Tensor g, float alpha, Tensor out) {
    launcher.launch1d(
        "elementwise", "cs4j_broadcast_scalar", vec4(out.numel()), g, alpha, out, out.numel());
  }

  @Override
  public void addBias(Tensor x, Tensor bias, int outer, int channels, int inner, Tensor out) {
    int n = outer * channels * inner;
    launcher.launch1d("elementwise", "cs4j_add_bias", n, x, bias, out, channels, inner, n);
  }

  @Override
  public void biasGrad(Tensor dY, int outer, int channels, int inner, Tensor dBias) {
    launcher.launch("reduce", "cs4j_bias_grad", channels, 1, 1, dY, outer, channels, inner, dBias);
  }

  // ---- matrix multiply and convolution ------------------------------------------------------

  @Override
  public void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      Tensor a,
      Tensor b,
      float beta,
      Tensor c) {
    gemm.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
  }

  @Override
  public void conv2d(Tensor x, Tensor w, Tensor y, ConvGeometry g) {
    conv.forward(x, w, y, g);
  }

  @Override
  public void conv2dBackwardData(Tensor dY, Tensor w, Tensor dX, ConvGeometry g) {
    conv.backwardData(dY, w, dX, g);
  }

  @Override
  public void conv2dBackwardWeight(Tensor x, Tensor dY, Tensor dW, ConvGeometry g) {
    conv.backwardWeight(x, dY, dW, g);
  }

  // ---- normalisation and pooling ------------------------------------------------------------

  @Override
  public void batchNormTrain(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float momentum,
      float eps,
      Tensor y,
      Tensor saveMean,
      Tensor saveInvStd) {
    batchNorm.train(
        x, gamma, beta, runningMean, runningVar, momentum, eps, y, saveMean, saveInvStd);
  }

  @Override
  public void batchNormEval(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float eps,
      Tensor y) {
    batchNorm.eval(x, gamma, beta, runningMean, runningVar, eps, y);
  }

  @Override
  public void batchNormBackward(
      Tensor x,
      Tensor dY,
      Tensor gamma,
      Tensor saveMean,
      Tensor saveInvStd,
      Tensor dX,
      Tensor dGamma,
      Tensor dBeta) {
    batchNorm.backward(x, dY, gamma, saveMean, saveInvStd, dX, dGamma, dBeta);
  }

  /** The pooling kernels' trailing geometry: planes, H, W, P, Q, R, S, strides, paddings. */
  private static Object[] pool(ConvGeometry g, Object... tensors) {
    Object[] geometry = {
      g.n() * g.c(),
      g.h(),
      g.w(),
      g.p(),
      g.q(),
      g.r(),
      g.s(),
      g.strideH(),
      g.strideW(),
      g.padH(),
      g.padW()
    };
    Object[] all = new Object[tensors.length + geometry.length];
    System.arraycopy(tensors, 0, all, 0, tensors.length);
    System.arraycopy(geometry, 0, all, tensors.length, geometry.length);
    return all;
  }

  @Override
  public void maxPool2d(Tensor x, Tensor y, Tensor argmax, ConvGeometry g) {
    launcher.launch1d("pooling", "cs4j_maxpool_fwd", y.numel(), pool(g, x, y, argmax));
  }

  @Override
  public void maxPool2dBackward(Tensor dY, Tensor argmax, Tensor dX, ConvGeometry g) {
    launcher.launch1d("pooling", "cs4j_maxpool_bwd", dX.numel(), pool(g, dY, argmax, dX));
  }

  @Override
  public void avgPool2d(Tensor x, Tensor y, ConvGeometry g) {
    launcher.launch1d("pooling", "cs4j_avgpool_fwd", y.numel(), pool(g, x, y));
  }

  @Override
  public void avgPool2dBackward(Tensor dY, Tensor dX, ConvGeometry g) {
    launcher.launch1d("pooling", "cs4j_avgpool_bwd", dX.numel(), pool(g, dY, dX));
  }

  @Override
  public void shortcutA(Tensor x, Tensor y) {
    launcher.launch1d(
        "pooling",
        "cs4j_shortcut_a_fwd",
        y.numel(),
        x,
        y,
        x.dim(0),
        x.dim(1),
        x.dim(2),
        x.dim(3),
        y.dim(1));
  }

  @Override
  public void shortcutABackward(Tensor dY, Tensor dX) {
    launcher.launch1d(
        "pooling",
        "cs4j_shortcut_a_bwd",
        dX.numel(),
        dY,
        dX,
        dX.dim(0),
        dX.dim(1),
        dX.dim(2),
        dX.dim(3),
        dY.dim(1));
  }

  // ---- loss ---------------------------------------------------------------------------------

  @Override
  public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor probs, Tensor loss) {
    int n = logits.dim(0);
    int k = logits.dim(1);
    try (CudaLauncher.Temp rowLoss = launcher.temp(8L * n)) {
      launcher.launch1d("loss", "cs4j_softmax_ce_fwd", n, logits, labels, probs, rowLoss, n, k);
      launcher.launch("reduce", "cs4j_sum_finish", 1, 1, 1, rowLoss, n, 1.0 / n, loss);
    }
  }

  @Override
  public void softmaxCrossEntropyBackward(
      Tensor probs, Tensor labels, Tensor dLoss, Tensor dLogits) {
    int n = probs.dim(0);
    int k = probs.dim(1);
    launcher.launch1d(
        "loss", "cs4j_softmax_ce_bwd", (long) n * k, probs, labels, dLoss, dLogits, n, k);
  }

  @Override
  public void countCorrect(Tensor logits, Tensor labels, Tensor out) {
    launcher.launch(
        "loss", "cs4j_count_correct", 1, 1, 1, logits, labels, out, logits.dim(0), logits.dim(1));
  }

  @Override
  public void hardConcreteGate(
      Tensor logAlpha,
      boolean sample,
      long noiseState,
      long noiseOffset,
      float temperature,
      float gamma,
      float zeta,
      Tensor z,
      Tensor dzda) {
    int n = logAlpha.numel();
    launcher.launch1d(
        "mask",
        "cs4j_hard_concrete",
        n,
        logAlpha,
        sample ? 1 : 0,
        noiseState,
        noiseOffset,
        temperature,
        gamma,
        zeta,
        z,
        sample ? dzda : null,
        n);
  }

  // ---- optimiser --------------------------------------------------------------------------

  @Override
  public void sgdStep(
      Tensor w,
      Tensor g,
      Tensor buf,
      float lr,
      float momentum,
      float dampening,
      float weightDecay,
      boolean nesterov,
      boolean firstStep) {
    int n = w.numel();
    launcher.launch1d(
        "optim",
        "cs4j_sgd_step",
        vec4(n),
        w,
        g,
        momentum == 0f ? null : buf,
        n,
        lr,
        momentum,
        dampening,
        weightDecay,
        nesterov ? 1 : 0,
        firstStep ? 1 : 0);
  }

  // ---- the Continuous Sparsification mask ----------------------------------------------------

  @Override
  public void maskedWeight(
      Tensor w, Tensor s, float beta, float c, float lambda, Tensor wEff, Tensor penalty) {
    int n = w.numel();
    sumInto("mask", "cs4j_masked_weight_fwd", n, lambda, penalty, w, s, beta, c, wEff, n);
  }

  @Override
  public void maskedWeightBackward(
      Tensor w,
      Tensor s,
      Tensor dWEff,
      Tensor dPenalty,
      float beta,
      float c,
      float lambda,
      Tensor dW,
      Tensor dS) {
    int n = w.numel();
    launcher.launch1d(
        "mask",
        "cs4j_masked_weight_bwd",
        vec4(n),
        w,
        s,
        dWEff,
        dPenalty,
        beta,
        c,
        lambda,
        dW,
        dS,
        n);
  }
}
