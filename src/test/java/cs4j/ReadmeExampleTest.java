package cs4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.autograd.Autograd;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.ops.MaskedWeight;
import cs4j.ops.Ops;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The README's "Embedding cs4j" example, verbatim, so that it cannot rot. */
class ReadmeExampleTest {
  @Test
  void readmeExampleRuns() {
    Module net = Models.create("resnet20", InputSpec.CIFAR10, /* seed */ 1234);
    Sgd sgd = new Sgd(ParamGroup.nesterov(net.parameters(), 0.1, 0.9, 1e-4));

    Rng rng = new Rng(7);
    Tensor images = Tensor.normal(rng, 0f, 1f, 8, 3, 32, 32); // [N, C, H, W]
    Tensor labels = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 8); // class indices [N]

    sgd.zeroGrad();
    Tensor loss = Ops.crossEntropy(net.forward(images), labels); // forward
    Autograd.backward(loss); // backward
    sgd.step(); // fused SGD update

    // Continuous Sparsification's masked weight: w ⊙ c·σ(β·s) and the penalty λ·Σ c·σ(β·s).
    Tensor w = Tensor.normal(rng, 0f, 0.1f, 16, 3, 3, 3).requiresGrad(true);
    Tensor s = Tensor.zeros(16, 3, 3, 3).requiresGrad(true);
    MaskedWeight m = Ops.maskedWeight(w, s, /* β */ 1f, /* c = 1/σ(s0) */ 2f, /* λ */ 1e-8f);
    Autograd.backward(Ops.add(Ops.sum(m.weight()), m.penalty())); // fills w.grad() and s.grad()

    assertTrue(Float.isFinite(loss.item()) && loss.item() > 0, "loss " + loss.item());
    assertNotNull(w.grad());
    assertNotNull(s.grad());
    // With s = 0, β = 1, c = 2: ∂/∂w = c·σ(0) = 1 for every entry.
    assertEquals(1f, w.grad().toArray()[0], 1e-6f);
  }
}
