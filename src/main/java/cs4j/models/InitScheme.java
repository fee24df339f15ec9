package cs4j.models;

import cs4j.nn.BatchNorm2d;
import cs4j.nn.Conv2d;
import cs4j.nn.Init;
import cs4j.nn.Linear;
import cs4j.nn.Module;
import cs4j.tensor.Rng;

/**
 * How a model's weights start. Conv and linear weights are drawn from the scheme's distribution,
 * biases are zero, batch-norm γ = 1 and β = 0 (as in the CS reference code).
 */
public enum InitScheme {
  /** Xavier-normal: the Continuous Sparsification reference code. */
  XAVIER_NORMAL,
  /** Kaiming-normal (fan-in, ReLU gain). */
  KAIMING_NORMAL;

  /** Re-initialises every conv, linear and batch-norm layer of {@code model}, in module order. */
  public void apply(Module model, Rng rng) {
    model.visit(
        m -> {
          if (m instanceof Conv2d conv) {
            draw(conv.weight().value(), rng);
            if (conv.bias() != null) {
              Init.constant(conv.bias().value(), 0f);
            }
          } else if (m instanceof Linear lin) {
            draw(lin.weight().value(), rng);
            if (lin.bias() != null) {
              Init.constant(lin.bias().value(), 0f);
            }
          } else if (m instanceof BatchNorm2d bn) {
            Init.constant(bn.gamma().value(), 1f);
            Init.constant(bn.beta().value(), 0f);
          }
        });
  }

  private void draw(cs4j.tensor.Tensor w, Rng rng) {
    if (this == XAVIER_NORMAL) {
      Init.xavierNormal(w, rng);
    } else {
      Init.kaimingNormal(w, rng);
    }
  }
}
