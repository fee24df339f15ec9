package cs4j.models;

import cs4j.nn.BatchNorm2d;
import cs4j.nn.Conv2d;
import cs4j.nn.Linear;
import cs4j.nn.Module;
import cs4j.nn.Sequential;
import cs4j.ops.Ops;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;

/**
 * The CIFAR ResNet of He et al. (depth 6n+2: ResNet-20 has n = 3, ResNet-56 n = 9), as in the
 * Continuous Sparsification reference code: conv3×3(3→16)–BN–ReLU, three stages of n basic blocks
 * with widths 16/32/64 and strides 1/2/2, global average pooling, Linear(64, classes).
 *
 * <p>State names follow the reference code: {@code conv0}, {@code bn0}, {@code
 * stage{1,2,3}.block{1..n}.conv_a/bn_a/conv_b/bn_b}, {@code stage{2,3}.block1.downsample} (the 1×1
 * stride-2 shortcut conv, no bias, no BN) and {@code classifier}. With {@link Shortcut#OPTION_A}
 * the downsampling shortcut is parameter-free (stride-2 subsampling plus zero channels) and there
 * is no {@code downsample} entry. Convs have no bias.
 */
public final class ResNetCifar extends Module {

  /** The shortcut used where a block changes shape. */
  public enum Shortcut {
    /** 1×1 conv with stride 2 (the CS reference code). */
    CONV_1X1,
    /** Subsample by 2 and pad channels with zeros (He et al.'s option A). */
    OPTION_A
  }

  private final Conv2d conv0;
  private final BatchNorm2d bn0;
  private final Sequential[] stages = new Sequential[3];
  private final Linear classifier;

  public ResNetCifar(int blocksPerStage, int inChannels, int classes, Shortcut shortcut, Rng rng) {
    conv0 = registerModule("conv0", new Conv2d(inChannels, 16, 3, 1, 1, false, rng));
    bn0 = registerModule("bn0", new BatchNorm2d(16));
    int in = 16;
    int[] widths = {16, 32, 64};
    for (int s = 0; s < 3; s++) {
      Sequential stage = new Sequential();
      for (int b = 0; b < blocksPerStage; b++) {
        int stride = (s > 0 && b == 0) ? 2 : 1;
        stage.add("block" + (b + 1), new BasicBlock(in, widths[s], stride, shortcut, rng));
        in = widths[s];
      }
      stages[s] = registerModule("stage" + (s + 1), stage);
    }
    classifier = registerModule("classifier", new Linear(64, classes, true, rng));
  }

  /** x [N, C, H, W] → logits [N, classes]. */
  @Override
  public Tensor forward(Tensor x) {
    Tensor y = bn0.forwardReluAfter(conv0, x);
    for (Sequential stage : stages) {
      y = stage.forward(y);
    }
    return classifier.forward(Ops.globalAvgPool(y));
  }

  /** conv3×3–BN–ReLU–conv3×3–BN, plus the shortcut, then ReLU. */
  static final class BasicBlock extends Module {
    private final Conv2d convA;
    private final BatchNorm2d bnA;
    private final Conv2d convB;
    private final BatchNorm2d bnB;
    private final Conv2d downsample; // null: identity or option A
    private final int outChannels;
    private final boolean reshapes;

    BasicBlock(int in, int out, int stride, Shortcut shortcut, Rng rng) {
      convA = registerModule("conv_a", new Conv2d(in, out, 3, stride, 1, false, rng));
      bnA = registerModule("bn_a", new BatchNorm2d(out));
      convB = registerModule("conv_b", new Conv2d(out, out, 3, 1, 1, false, rng));
      bnB = registerModule("bn_b", new BatchNorm2d(out));
      reshapes = stride != 1 || in != out;
      downsample =
          reshapes && shortcut == Shortcut.CONV_1X1
              ? registerModule("downsample", new Conv2d(in, out, 1, stride, 0, false, rng))
              : null;
      outChannels = out;
    }

    @Override
    public Tensor forward(Tensor x) {
      Tensor y = bnA.forwardReluAfter(convA, x);
      Tensor residual;
      if (!reshapes) {
        residual = x;
      } else if (downsample != null) {
        residual = downsample.forward(x);
      } else {
        residual = Ops.shortcutA(x, outChannels);
      }
      return bnB.forwardAddReluAfter(convB, y, residual);
    }
  }
}
