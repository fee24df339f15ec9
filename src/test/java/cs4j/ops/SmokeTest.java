package cs4j.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.autograd.GradCheck;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void conv() {
    Rng rng = new Rng(1);
    Tensor x = Tensor.normal(rng, 0, 1, 2, 3, 5, 5).requiresGrad(true);
    Tensor w = Tensor.normal(rng, 0, 0.5f, 4, 3, 3, 3).requiresGrad(true);
    var res =
        GradCheck.check(
            in -> Ops.conv2d(in[0], in[1], null, 2, 1), new Tensor[] {x, w}, 1e-2, 3, 7);
    assertTrue(res.maxRelativeError() < 1e-2, res.toString());
  }

  @Test
  void bn() {
    Rng rng = new Rng(1);
    Tensor x = Tensor.normal(rng, 0, 1, 2, 4, 3, 3).requiresGrad(true);
    Tensor g = Tensor.normal(rng, 1, 0.1f, 4).requiresGrad(true);
    Tensor b = Tensor.normal(rng, 0, 0.1f, 4).requiresGrad(true);
    Tensor rm = Tensor.zeros(4);
    Tensor rv = Tensor.ones(4);
    var res =
        GradCheck.check(
            in -> Ops.batchNorm(in[0], in[1], in[2], rm, rv, true, 0.1f, 1e-5f),
            new Tensor[] {x, g, b},
            1e-2,
            3,
            7);
    assertTrue(res.maxRelativeError() < 1e-2, res.toString());
  }
}
