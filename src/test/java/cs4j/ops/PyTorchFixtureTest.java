package cs4j.ops;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cs4j.autograd.Autograd;
import cs4j.tensor.Tensor;
import cs4j.testing.Fixtures;
import cs4j.testing.Fixtures.Fixture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every op against PyTorch: forward outputs, the gradients of every input for a random upstream
 * gradient, and running statistics, read from the fixtures of {@code test-data/gen_fixtures.py}.
 *
 * <p>The fixtures hold float64 results rounded to float32, so each tolerance bounds cs4j's own
 * float32 error: |a − e| ≤ rtol·|e| + atolRel·max|e| (see {@link Fixture#assertClose}).
 */
class PyTorchFixtureTest {
  /**
   * One or a few roundings per value (add, mul, relu, sigmoid, max pool, reshapes, shortcut): a few
   * float ulps (ulp = 6e-8 relative), plus slack for exp in sigmoid.
   */
  private static final Tol ELEMENTWISE = new Tol(1e-5, 1e-6);

  /**
   * Sums of up to a few thousand float products (matmul, linear, conv, pooling means, sum, the
   * masked-weight penalty): the rounding error of a K-term float sum grows like √K·ulp relative to
   * the largest terms, ≈ 1e-6 of max|e| for K = 4,608 (512·3·3); 1e-5 leaves a tenfold margin.
   */
  private static final Tol REDUCTION = new Tol(1e-4, 1e-5);

  /**
   * Batch norm divides by the batch standard deviation and its dX subtracts two channel sums from
   * M·dY (M = N·H·W up to 2,048), so cancellation costs a little more than a plain sum.
   */
  private static final Tol BATCH_NORM = new Tol(1e-4, 2e-5);

  /**
   * The ResNet block chains two convolutions and two batch norms; errors of the first stage are
   * amplified by the second norm's 1/σ. A real bug (a wrong term, index or scale) shows up at 1e-2
   * of max|e| or more.
   */
  private static final Tol BLOCK = new Tol(1e-4, 3e-5);

  /**
   * Running statistics: one channel sum in double, then a float rounding of the momentum update;
   * tight enough to tell the unbiased variance PyTorch stores from the biased one (a relative
   * difference of 0.1/M, 5e-5 at M = 2,048).
   */
  private static final Tol RUNNING_STATS = new Tol(1e-5, 1e-6);

  /** Every op that must have at least one fixture (so a lost fixture file fails too). */
  private static final Set<String> OPS =
      Set.of(
          "add",
          "mul",
          "relu",
          "sigmoid",
          "sum",
          "mean",
          "flatten",
          "reshape",
          "matmul",
          "linear",
          "conv2d",
          "batchnorm",
          "maxpool2d",
          "avgpool2d",
          "global_avgpool",
          "shortcut_a",
          "cross_entropy",
          "masked_weight",
          "resnet_block");

  private record Tol(double rtol, double atolRel) {}

  private static List<Fixture> opFixtures() {
    return Fixtures.all().stream()
        .map(Fixtures::load)
        .filter(f -> f.op() != null) // files without an op test the reader only
        .toList();
  }

  @Test
  void everyOpHasAFixture() {
    Set<String> found = opFixtures().stream().map(Fixture::op).collect(Collectors.toSet());
    Set<String> missing = new TreeSet<>(OPS);
    missing.removeAll(found);
    assertTrue(missing.isEmpty(), "ops without a PyTorch fixture: " + missing);
  }

  @TestFactory
  Stream<DynamicTest> matchesPyTorch() {
    return opFixtures().stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> run(f)));
  }

  private static void run(Fixture f) {
    switch (f.op()) {
      case "add" -> binary(f, Ops::add);
      case "mul" -> binary(f, Ops::mul);
      case "relu" -> unary(f, Ops::relu, ELEMENTWISE);
      case "sigmoid" -> unary(f, Ops::sigmoid, ELEMENTWISE);
      case "sum" -> unary(f, Ops::sum, REDUCTION);
      case "mean" -> unary(f, Ops::mean, REDUCTION);
      case "flatten" -> unary(f, Ops::flatten, ELEMENTWISE);
      case "reshape" -> unary(f, a -> Ops.reshape(a, ints(f.param("dims"))), ELEMENTWISE);
      case "matmul" -> matmul(f);
      case "linear" -> linear(f);
      case "conv2d" -> conv2d(f);
      case "batchnorm" -> batchNorm(f);
      case "maxpool2d" ->
          pool(f, x -> Ops.maxPool2d(x, kernel(f), f.intParam("stride"), padding(f)), ELEMENTWISE);
      case "avgpool2d" ->
          pool(f, x -> Ops.avgPool2d(x, kernel(f), f.intParam("stride"), padding(f)), REDUCTION);
      case "global_avgpool" -> pool(f, Ops::globalAvgPool, REDUCTION);
      case "shortcut_a" -> pool(f, x -> Ops.shortcutA(x, f.intParam("out_channels")), ELEMENTWISE);
      case "cross_entropy" -> crossEntropy(f);
      case "masked_weight" -> maskedWeight(f);
      case "resnet_block" -> resnetBlock(f);
      default -> fail(f.name() + ": no runner for op '" + f.op() + "'");
    }
  }

  // ---- runners --------------------------------------------------------------------------------

  private static void unary(Fixture f, UnaryOperator<Tensor> op, Tol tol) {
    Tensor a = f.input("a");
    check(f, op.apply(a), Map.of("a", a), tol);
  }

  private static void binary(Fixture f, BinaryOperator<Tensor> op) {
    Tensor a = f.input("a");
    Tensor b = f.input("b");
    check(f, op.apply(a, b), Map.of("a", a, "b", b), ELEMENTWISE);
  }

  private static void pool(Fixture f, UnaryOperator<Tensor> op, Tol tol) {
    Tensor x = f.input("x");
    check(f, op.apply(x), Map.of("x", x), tol);
  }

  private static void matmul(Fixture f) {
    Tensor a = f.input("a");
    Tensor b = f.input("b");
    check(f, Ops.matmul(a, b), Map.of("a", a, "b", b), REDUCTION);
  }

  private static void linear(Fixture f) {
    Map<String, Tensor> in = inputs(f, "x", "w", "b");
    check(f, Ops.linear(in.get("x"), in.get("w"), in.get("b")), in, REDUCTION);
  }

  private static void conv2d(Fixture f) {
    Map<String, Tensor> in = inputs(f, "x", "w", "b");
    Tensor y =
        Ops.conv2d(
            in.get("x"), in.get("w"), in.get("b"), f.intParam("stride"), f.intParam("padding"));
    check(f, y, in, REDUCTION);
  }

  private static void batchNorm(Fixture f) {
    Map<String, Tensor> in = inputs(f, "x", "weight", "bias");
    Tensor runningMean = f.tensor("input.running_mean");
    Tensor runningVar = f.tensor("input.running_var");
    Tensor y =
        Ops.batchNorm(
            in.get("x"),
            in.get("weight"),
            in.get("bias"),
            runningMean,
            runningVar,
            (Boolean) f.param("training"),
            f.floatParam("momentum"),
            f.floatParam("eps"));
    check(f, y, in, BATCH_NORM);
    f.assertClose("state.running_mean", runningMean, RUNNING_STATS.rtol, RUNNING_STATS.atolRel);
    f.assertClose("state.running_var", runningVar, RUNNING_STATS.rtol, RUNNING_STATS.atolRel);
  }

  private static void crossEntropy(Fixture f) {
    Tensor logits = f.input("logits");
    Tensor labels = f.tensor("input.labels"); // stored as int64 class indices
    Tensor loss = Ops.crossEntropy(logits, labels);
    f.assertClose("output.loss", loss, REDUCTION.rtol, REDUCTION.atolRel);
    Autograd.backward(loss, f.tensor("gout.loss"));
    f.assertClose("grad.logits", logits.grad(), REDUCTION.rtol, REDUCTION.atolRel);
  }

  /** Two outputs: backpropagates L = Σ w_eff ⊙ gout.w_eff + penalty · gout.penalty. */
  private static void maskedWeight(Fixture f) {
    Tensor w = f.input("w");
    Tensor s = f.input("s");
    MaskedWeight m =
        Ops.maskedWeight(w, s, f.floatParam("beta"), f.floatParam("c"), f.floatParam("lambda"));
    f.assertClose("output.w_eff", m.weight(), ELEMENTWISE.rtol, ELEMENTWISE.atolRel);
    f.assertClose("output.penalty", m.penalty(), REDUCTION.rtol, REDUCTION.atolRel);
    Tensor loss =
        Ops.add(
            Ops.sum(Ops.mul(m.weight(), f.tensor("gout.w_eff"))),
            Ops.mul(m.penalty(), f.tensor("gout.penalty")));
    Autograd.backward(loss);
    f.assertClose("grad.w", w.grad(), ELEMENTWISE.rtol, ELEMENTWISE.atolRel);
    f.assertClose("grad.s", s.grad(), ELEMENTWISE.rtol, ELEMENTWISE.atolRel);
  }

  /**
   * conv3×3–BN–ReLU–conv3×3–BN, plus the identity or a 1×1 stride-2 conv shortcut, then ReLU;
   * training mode, so both norms also update their running statistics.
   */
  private static void resnetBlock(Fixture f) {
    int stride = f.intParam("stride");
    float momentum = f.floatParam("momentum");
    float eps = f.floatParam("eps");
    Map<String, Tensor> in =
        inputs(
            f,
            "x",
            "conv1.weight",
            "bn1.weight",
            "bn1.bias",
            "conv2.weight",
            "bn2.weight",
            "bn2.bias",
            "downsample.weight");
    Map<String, Tensor> state = new LinkedHashMap<>();
    for (String bn : List.of("bn1", "bn2")) {
      for (String stat : List.of("running_mean", "running_var")) {
        state.put(bn + "." + stat, f.tensor("input." + bn + "." + stat));
      }
    }
    Tensor x = in.get("x");
    Tensor h = Ops.conv2d(x, in.get("conv1.weight"), null, stride, 1);
    h =
        Ops.batchNorm(
            h,
            in.get("bn1.weight"),
            in.get("bn1.bias"),
            state.get("bn1.running_mean"),
            state.get("bn1.running_var"),
            true,
            momentum,
            eps);
    h = Ops.relu(h);
    h = Ops.conv2d(h, in.get("conv2.weight"), null, 1, 1);
    h =
        Ops.batchNorm(
            h,
            in.get("bn2.weight"),
            in.get("bn2.bias"),
            state.get("bn2.running_mean"),
            state.get("bn2.running_var"),
            true,
            momentum,
            eps);
    Tensor shortcut = stride == 1 ? x : Ops.conv2d(x, in.get("downsample.weight"), null, stride, 0);
    Tensor y = Ops.relu(Ops.add(h, shortcut));
    check(f, y, in, BLOCK);
    state.forEach(
        (k, v) -> f.assertClose("state." + k, v, RUNNING_STATS.rtol, RUNNING_STATS.atolRel));
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** The named inputs the fixture has (optional ones such as a bias may be absent), as leaves. */
  private static Map<String, Tensor> inputs(Fixture f, String... names) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    for (String n : names) {
      if (f.has("input." + n)) {
        in.put(n, f.input(n));
      }
    }
    return in;
  }

  /** Compares output.y, backpropagates gout.y and compares grad.* of every input. */
  private static void check(Fixture f, Tensor y, Map<String, Tensor> inputs, Tol tol) {
    f.assertClose("output.y", y, tol.rtol, tol.atolRel);
    Autograd.backward(y, f.tensor("gout.y"));
    inputs.forEach(
        (name, t) -> {
          assertNotNull(t.grad(), f.name() + ": no gradient reached input " + name);
          f.assertClose("grad." + name, t.grad(), tol.rtol, tol.atolRel);
        });
  }

  private static int kernel(Fixture f) {
    return f.intParam("kernel");
  }

  private static int padding(Fixture f) {
    return f.intParam("padding");
  }

  private static int[] ints(Object jsonList) {
    return ((List<?>) jsonList).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
  }
}
