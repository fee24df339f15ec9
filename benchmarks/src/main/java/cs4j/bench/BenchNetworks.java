package cs4j.bench;

import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Maskable;
import cs4j.nn.Module;
import cs4j.nn.Parameter;
import cs4j.ops.MaskedWeight;
import cs4j.ops.Ops;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks of the step benchmarks, as {@code shared/anchors/torch_anchor.py} builds them: a
 * CIFAR-10 model from the registry (seed 0) and, masked, CS mask logits s = 0 with β = 5, c = 1, λ
 * = 1e-8 on every conv and the classifier through the fused masked-weight op.
 */
final class BenchNetworks {
  static final float BETA = 5f;
  static final float LAMBDA = 1e-8f;

  /** The network and, when masked, its mask logits and the penalties each forward adds. */
  record Network(Module net, List<Parameter> masks, List<Tensor> penalties) {}

  private BenchNetworks() {}

  static Network create(String model, boolean masked) {
    Module net = Models.create(model, InputSpec.CIFAR10, 0);
    List<Parameter> masks = new ArrayList<>();
    List<Tensor> penalties = new ArrayList<>();
    if (masked) {
      net.visit(
          m -> {
            if (m instanceof Maskable layer) {
              Parameter s = new Parameter(Tensor.zeros(layer.weight().value().shape().dims()));
              masks.add(s);
              layer.setWeightTransform(
                  w -> {
                    MaskedWeight mw = Ops.maskedWeight(w, s.value(), BETA, 1f, LAMBDA);
                    penalties.add(mw.penalty());
                    return mw.weight();
                  });
            }
          });
    }
    return new Network(net, masks, penalties);
  }

  /** A batch of {@code batch} random images from {@code rng}: [batch, 3, 32, 32], N(0, 1). */
  static Tensor images(Rng rng, int batch) {
    return Tensor.normal(rng, 0, 1, batch, 3, 32, 32);
  }
}
