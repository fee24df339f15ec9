package cs4j.models;

import cs4j.nn.Conv2d;
import cs4j.nn.Linear;
import cs4j.nn.Module;
import cs4j.nn.Sequential;
import cs4j.ops.Ops;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;

/**
 * Conv-4 of Frankle &amp; Carbin (2019): conv3×3(64)–ReLU–conv3×3(64)–ReLU–maxpool2,
 * conv3×3(128)–ReLU–conv3×3(128)–ReLU–maxpool2, then Linear(128·H/4·W/4, 256)–ReLU– Linear(256,
 * 256)–ReLU–Linear(256, classes). Convs pad 1 and have biases.
 *
 * <p>State names: {@code convs.0..3}, {@code fc_layers.0..1}, {@code fc}.
 */
public final class Conv4 extends Module {
  private final Sequential convs = new Sequential();
  private final Sequential hidden = new Sequential();
  private final Linear fc;

  public Conv4(int inChannels, int height, int width, int classes, Rng rng) {
    if (height % 4 != 0 || width % 4 != 0) {
      throw new IllegalArgumentException(
          "Conv4: input height and width must be multiples of 4, got " + height + "x" + width);
    }
    convs.add(new Conv2d(inChannels, 64, 3, 1, 1, true, rng));
    convs.add(new Conv2d(64, 64, 3, 1, 1, true, rng));
    convs.add(new Conv2d(64, 128, 3, 1, 1, true, rng));
    convs.add(new Conv2d(128, 128, 3, 1, 1, true, rng));
    registerModule("convs", convs);
    hidden.add(new Linear(128 * (height / 4) * (width / 4), 256, true, rng));
    hidden.add(new Linear(256, 256, true, rng));
    registerModule("fc_layers", hidden);
    fc = registerModule("fc", new Linear(256, classes, true, rng));
  }

  /** x [N, C, H, W] → logits [N, classes]. */
  @Override
  public Tensor forward(Tensor x) {
    Tensor y = x;
    int i = 0;
    for (Module conv : convs.layers()) {
      y = Ops.relu(conv.forward(y));
      if (++i % 2 == 0) {
        y = Ops.maxPool2d(y, 2, 2, 0);
      }
    }
    y = Ops.flatten(y);
    for (Module layer : hidden.layers()) {
      y = Ops.relu(layer.forward(y));
    }
    return fc.forward(y);
  }
}
