package cs4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cs4j.autograd.Autograd;
import cs4j.io.Safetensors;
import cs4j.nn.Module;
import cs4j.nn.Parameter;
import cs4j.ops.Ops;
import cs4j.tensor.Tensor;
import cs4j.testing.Fixtures;
import cs4j.testing.Fixtures.Fixture;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A whole ResNet-20 against PyTorch: the weights, one batch and the results of one training-mode
 * forward and backward exported by {@code test-data/gen_resnet20_reference.py} (its docstring lists
 * the file's layout). cs4j must accept the weights under PyTorch's exact state_dict names and
 * reproduce the logits, the loss, every parameter gradient and the updated running statistics.
 *
 * <p>The fixture is float64 PyTorch rounded to float32, so the tolerances bound cs4j's own float32
 * error, as |a − e| ≤ rtol·|e| + atolRel·max|e| per tensor (see {@link Fixture#assertClose}).
 * Measured: cs4j's CPU backend lands at 4.5e-7 of max|e| on the logits, 3.4e-6 on the worst
 * gradient (stage3.block3.bn_a.weight) and 1.1e-7 on the running statistics; PyTorch's own float32
 * CPU run of the same network gets 5.9e-7, 4.3e-6 and 1.2e-7. The tolerances leave a margin of
 * about ten over both for another summation order.
 *
 * <p>The gradients are far more sensitive than the logits because batch norm's backward pass
 * subtracts two channel means from the incoming gradient, and here most of it cancels: in float64
 * PyTorch, scaling one γ of stage2.block2.bn_a by 1.001 moves the conv gradients of later blocks by
 * 7e-2 of max|e| but the logits by only 4e-5. The same amplification turns float32 rounding into a
 * few 1e-6, and makes any real bug (a wrong index, term or scale in any of the 20 layers) miss the
 * tolerance by orders of magnitude.
 */
class ResNet20PyTorchParityTest {
  private static final String FIXTURE = "resnet20_reference";

  /** Logits and loss: 20 layers of sums of up to 576 products, each renormalised by batch norm. */
  private static final double OUT_RTOL = 2e-5;

  private static final double OUT_ATOL_REL = 5e-6;

  /** Gradients: the forward's roundings, amplified by batch norm's cancelling backward pass. */
  private static final double GRAD_RTOL = 2e-4;

  private static final double GRAD_ATOL_REL = 3e-5;

  /**
   * Running statistics: one momentum update of the batch mean and variance; tight enough to tell
   * the unbiased variance PyTorch stores from the biased one (1/(M − 1) = 2e-3 of the batch
   * variance at M = 8·8·8 in stage 3, times the momentum 0.1).
   */
  private static final double STATS_RTOL = 1e-5;

  private static final double STATS_ATOL_REL = 1e-6;

  private static Fixture fixture;
  private static Map<String, Tensor> pytorchWeights;

  @BeforeAll
  static void load() throws IOException {
    fixture = Fixtures.load(FIXTURE);
    pytorchWeights = new LinkedHashMap<>();
    for (String key : Safetensors.read(Fixtures.dir().resolve(FIXTURE + ".safetensors")).names()) {
      if (key.startsWith("weights.")) {
        pytorchWeights.put(key.substring("weights.".length()), fixture.tensor(key));
      }
    }
  }

  @Test
  void stateDictNamesAreExactlyPyTorchs() {
    Module net = Models.create("resnet20", InputSpec.CIFAR10, 1);
    assertEquals(
        new TreeSet<>(pytorchWeights.keySet()),
        new TreeSet<>(net.stateDict().keySet()),
        "state_dict keys of cs4j's resnet20 vs the PyTorch reference");
    assertEquals(272_282, net.parameterCount(), "parameters, BN affine included");
  }

  @Test
  void oneTrainingStepMatchesPyTorch() {
    Module net = Models.create("resnet20", InputSpec.CIFAR10, 1);
    net.loadStateDict(pytorchWeights);
    net.train(true);

    Tensor logits = net.forward(fixture.tensor("input.x"));
    Tensor loss = Ops.crossEntropy(logits, fixture.tensor("input.labels"));
    Autograd.backward(loss);

    fixture.assertClose("output.logits", logits, OUT_RTOL, OUT_ATOL_REL);
    fixture.assertClose("output.loss", loss, OUT_RTOL, OUT_ATOL_REL);
    Map<String, Parameter> params = net.namedParameters();
    assertEquals(keysWith("grad."), params.keySet(), "parameters with a PyTorch gradient");
    params.forEach(
        (name, p) -> fixture.assertClose("grad." + name, p.grad(), GRAD_RTOL, GRAD_ATOL_REL));
    Map<String, Tensor> buffers = net.namedBuffers();
    assertEquals(keysWith("state."), buffers.keySet(), "buffers with a PyTorch value");
    buffers.forEach(
        (name, b) -> fixture.assertClose("state." + name, b, STATS_RTOL, STATS_ATOL_REL));
  }

  private static Set<String> keysWith(String prefix) {
    Set<String> out = new TreeSet<>();
    for (String key : pytorchWeights.keySet()) {
      if (fixture.has(prefix + key)) {
        out.add(key);
      }
    }
    return out;
  }
}
