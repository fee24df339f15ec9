package cs4j.models;

import cs4j.nn.Linear;
import cs4j.nn.Module;
import cs4j.nn.Sequential;
import cs4j.ops.Ops;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;

/**
 * LeNet-300-100: flatten, Linear(F, 300)–ReLU–Linear(300, 100)–ReLU–Linear(100, classes), with F =
 * C·H·W of the input (784 for 28×28×1, 3072 for 32×32×3). State names as OpenLTH: {@code
 * fc_layers.0}, {@code fc_layers.1}, {@code fc}.
 */
public final class LeNet300 extends Module {
  private final Sequential hidden = new Sequential();
  private final Linear fc;

  public LeNet300(int inFeatures, int classes, Rng rng) {
    hidden.add(new Linear(inFeatures, 300, true, rng));
    hidden.add(new Linear(300, 100, true, rng));
    registerModule("fc_layers", hidden);
    fc = registerModule("fc", new Linear(100, classes, true, rng));
  }

  /** x [N, C, H, W] (or [N, F]) → logits [N, classes]. */
  @Override
  public Tensor forward(Tensor x) {
    Tensor y = Ops.flatten(x);
    for (Module layer : hidden.layers()) {
      y = Ops.relu(layer.forward(y));
    }
    return fc.forward(y);
  }
}
