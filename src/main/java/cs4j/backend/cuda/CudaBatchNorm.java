package cs4j.backend.cuda;

import cs4j.tensor.Tensor;

/**
 * Batch norm on the device (batchnorm.cu). x is viewed as [N, C, L]; per-channel statistics are
 * reduced in a (splits × C) grid of partial sums and a per-channel finishing pass, with no atomics
 * and no host sync; the running statistics are updated on the device.
 */
final class CudaBatchNorm {
  /** Enough (split, channel) blocks to fill a GPU even for C = 16. */
  private static final int TARGET_BLOCKS = 512;

  /** Each split covers at least this many elements. */
  private static final int MIN_SPLIT = 1024;

  private final CudaLauncher launcher;

  CudaBatchNorm(CudaLauncher launcher) {
    this.launcher = launcher;
  }

  /** Splits per channel for M = N·L elements: from the shapes alone, so sums are reproducible. */
  static int splits(int channels, long m) {
    long want = (TARGET_BLOCKS + channels - 1) / channels;
    return (int) Math.max(1, Math.min(want, m / MIN_SPLIT));
  }

  private static int inner(Tensor x) {
    return x.numel() / (x.dim(0) * x.dim(1));
  }

  private int channelBlocks(int channels) {
    return (channels + CudaLauncher.BLOCK - 1) / CudaLauncher.BLOCK;
  }

  void train(
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
    int n = x.dim(0);
    int c = x.dim(1);
    int l = inner(x);
    int splits = splits(c, (long) n * l);
    try (CudaLauncher.Temp partials = launcher.temp(8L * 2 * c * splits);
        CudaLauncher.Temp coeff = launcher.temp(4L * 2 * c)) {
      launcher.launch(
          "batchnorm", "cs4j_bn_stats_partial", splits, c, 1, x, n, c, l, splits, partials);
      launcher.launch(
          "batchnorm",
          "cs4j_bn_stats_finish",
          channelBlocks(c),
          1,
          1,
          x,
          partials,
          gamma,
          beta,
          n,
          c,
          l,
          splits,
          momentum,
          eps,
          runningMean,
          runningVar,
          saveMean,
          saveInvStd,
          coeff);
      launcher.launch1d("batchnorm", "cs4j_bn_apply", x.numel(), x, coeff, c, l, x.numel(), y);
    }
  }

  void eval(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float eps,
      Tensor y) {
    int c = x.dim(1);
    try (CudaLauncher.Temp coeff = launcher.temp(4L * 2 * c)) {
      launcher.launch(
          "batchnorm",
          "cs4j_bn_eval_coeff",
          channelBlocks(c),
          1,
          1,
          gamma,
          beta,
          runningMean,
          runningVar,
          c,
          eps,
          coeff);
      launcher.launch1d(
          "batchnorm", "cs4j_bn_apply", x.numel(), x, coeff, c, inner(x), x.numel(), y);
    }
  }

  void backward(
      Tensor x,
      Tensor dY,
      Tensor gamma,
      Tensor saveMean,
      Tensor saveInvStd,
      Tensor dX,
      Tensor dGamma,
      Tensor dBeta) {
    int n = x.dim(0);
    int c = x.dim(1);
    int l = inner(x);
    int splits = splits(c, (long) n * l);
    try (CudaLauncher.Temp partials = launcher.temp(8L * 2 * c * splits)) {
      launcher.launch(
          "batchnorm",
          "cs4j_bn_bwd_partial",
          splits,
          c,
          1,
          x,
          dY,
          saveMean,
          saveInvStd,
          n,
          c,
          l,
          splits,
          partials);
      launcher.launch(
          "batchnorm",
          "cs4j_bn_bwd_finish",
          channelBlocks(c),
          1,
          1,
          partials,
          c,
          splits,
          dGamma,
          dBeta);
      launcher.launch1d(
          "batchnorm",
          "cs4j_bn_bwd_apply",
          x.numel(),
          x,
          dY,
          gamma,
          saveMean,
          saveInvStd,
          dGamma,
          dBeta,
          n,
          c,
          l,
          dX);
    }
  }
}
