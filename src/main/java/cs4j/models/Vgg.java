package cs4j.models;

import cs4j.nn.BatchNorm2d;
import cs4j.nn.Conv2d;
import cs4j.nn.Linear;
import cs4j.nn.MaxPool2d;
import cs4j.nn.Module;
import cs4j.nn.Sequential;
import cs4j.ops.Ops;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;

/**
 * CIFAR VGG as in the lottery-ticket literature (OpenLTH): conv3×3 (with bias) + BN + ReLU per plan
 * entry, 2×2 max pooling at each "M", then 2×2 average pooling and Linear(512, classes).
 *
 * <p>State names follow OpenLTH: {@code layers.i.conv}, {@code layers.i.bn} (i counts pooling
 * layers too, as positions in one nn.Sequential) and {@code fc}.
 */
public final class Vgg extends Module {
  /** A plan entry of 0 is a max pool; any other number is a conv with that many channels. */
  static final int M = 0;

  static final int[] VGG11 = {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512};
  static final int[] VGG13 = {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512};
  static final int[] VGG16 = {
    64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512
  };
  static final int[] VGG19 = {
    64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512
  };

  private final Sequential layers = new Sequential();
  private final Linear fc;

  public Vgg(int[] plan, int inChannels, int classes, Rng rng) {
    int in = inChannels;
    for (int width : plan) {
      if (width == M) {
        layers.add(new MaxPool2d(2));
      } else {
        layers.add(new ConvBlock(in, width, rng));
        in = width;
      }
    }
    registerModule("layers", layers);
    fc = registerModule("fc", new Linear(in, classes, true, rng));
  }

  /** x [N, C, 32, 32] → logits [N, classes]. */
  @Override
  public Tensor forward(Tensor x) {
    Tensor features = Ops.avgPool2d(layers.forward(x), 2, 2, 0); // [N, 512, 1, 1]
    return fc.forward(Ops.flatten(features));
  }

  /** conv3×3 (pad 1, bias) → BN → ReLU, named {@code conv} and {@code bn}. */
  static final class ConvBlock extends Module {
    private final Conv2d conv;
    private final BatchNorm2d bn;

    ConvBlock(int in, int out, Rng rng) {
      conv = registerModule("conv", new Conv2d(in, out, 3, 1, 1, true, rng));
      bn = registerModule("bn", new BatchNorm2d(out));
    }

    @Override
    public Tensor forward(Tensor x) {
      return bn.forwardReluAfter(conv, x);
    }
  }
}
