package cs4j.backend.cuda;

import static cs4j.backend.cuda.CudaTestSupport.assertParity;
import static cs4j.backend.cuda.CudaTestSupport.cudaOrSkip;
import static cs4j.backend.cuda.CudaTestSupport.uniform;

import cs4j.backend.Backend;
import cs4j.backend.ConvGeometry;
import cs4j.backend.cpu.CpuBackend;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every Backend primitive, CPU reference against CUDA, at the shapes of real layers (ResNet-20 and
 * VGG at batch 128, LeNet-300-100). Each case uploads copies of the CPU inputs, fills the pure
 * outputs with NaN on the GPU (so an element never written fails), runs both backends and compares.
 *
 * <p>Tolerances, as |gpu − cpu| ≤ rtol·|cpu| + atolRel·max|cpu|: elementwise maps 1e-6/1e-6 (FMA
 * contraction and expf differ from Java by an ulp); reductions, GEMM, convolution 1e-4/1e-5 (float
 * sums in another order); batch-norm backward 1e-3/1e-4 (it subtracts nearly equal terms).
 */
@Tag("cuda")
class CudaParityTest {
  private CudaBackend cuda;
  private final Rng rng = new Rng(20240611);

  @BeforeEach
  void setUp() {
    cuda = cudaOrSkip();
  }

  /** One comparison: inputs and outputs on the CPU, mirrored on the GPU. */
  private final class Case {
    private final String name;
    private final List<Tensor> cpu = new ArrayList<>();
    private final Set<Integer> pureOutputs = new HashSet<>();

    Case(String name) {
      this.name = name;
    }

    Case in(Tensor t) {
      cpu.add(t);
      return this;
    }

    Case out(int... dims) {
      pureOutputs.add(cpu.size());
      cpu.add(Tensor.zeros(dims));
      return this;
    }

    /** Runs op on both backends; compares the tensors at {@code compare} (argument indices). */
    void run(BiConsumer<Backend, Tensor[]> op, double rtol, double atolRel, int... compare) {
      try (MemoryScope scope = cuda.device().openScope()) {
        Tensor[] c = cpu.toArray(new Tensor[0]);
        Tensor[] g = new Tensor[c.length];
        for (int i = 0; i < c.length; i++) {
          g[i] = c[i].to(cuda.device());
          if (pureOutputs.contains(i)) {
            cuda.fill(g[i], Float.NaN);
          }
        }
        op.accept(CpuBackend.get(), c);
        op.accept(cuda, g);
        for (int i : compare) {
          assertParity(name + ", argument " + i, c[i], g[i], rtol, atolRel);
        }
      }
    }
  }

  private Tensor u(int... dims) {
    return uniform(rng, -1f, 1f, dims);
  }

  @Test
  void elementwise() {
    int[] act = {128, 16, 32, 32};
    new Case("fill").out(act).run((b, t) -> b.fill(t[0], 0.25f), 0, 0, 0);
    new Case("copy").in(u(act)).out(act).run((b, t) -> b.copy(t[0], t[1]), 0, 0, 1);
    new Case("axpby")
        .in(u(act))
        .in(u(act))
        .out(act)
        .run((b, t) -> b.axpby(0.9f, t[0], -1.3f, t[1], t[2]), 1e-6, 1e-6, 2);
    new Case("axpby in place")
        .in(u(act))
        .in(u(act))
        .run((b, t) -> b.axpby(1f, t[0], 1f, t[1], t[0]), 1e-6, 1e-6, 0);
    // A length that is not a multiple of 4 exercises the scalar tails after the float4 loops.
    new Case("axpby ragged")
        .in(u(1031))
        .in(u(1031))
        .out(1031)
        .run((b, t) -> b.axpby(0.9f, t[0], -1.3f, t[1], t[2]), 1e-6, 1e-6, 2);
    new Case("mul")
        .in(u(act))
        .in(u(act))
        .out(act)
        .run((b, t) -> b.mul(t[0], t[1], t[2]), 1e-6, 0, 2);
    new Case("relu").in(u(act)).out(act).run((b, t) -> b.relu(t[0], t[1]), 0, 0, 1);
    new Case("reluBackward")
        .in(u(act))
        .in(u(act))
        .out(act)
        .run((b, t) -> b.reluBackward(t[0], t[1], t[2]), 0, 0, 2);
    new Case("sigmoid")
        .in(uniform(rng, -20f, 20f, act))
        .out(act)
        .run((b, t) -> b.sigmoid(t[0], t[1]), 2e-6, 1e-7, 1);
    new Case("sigmoidBackward")
        .in(uniform(rng, 0f, 1f, act))
        .in(u(act))
        .out(act)
        .run((b, t) -> b.sigmoidBackward(t[0], t[1], t[2]), 1e-6, 1e-7, 2);
    new Case("broadcastScalar")
        .in(Tensor.of(new float[] {0.75f}, 1))
        .out(act)
        .run((b, t) -> b.broadcastScalar(t[0], 1f / 128, t[1]), 0, 0, 1);
  }

  @Test
  void reductionsAndBias() {
    new Case("sum 2M").in(u(1 << 21)).out(1).run((b, t) -> b.sum(t[0], t[1]), 1e-5, 1e-6, 1);
    new Case("sum 1").in(u(1)).out(1).run((b, t) -> b.sum(t[0], t[1]), 0, 0, 1);
    new Case("addBias linear [128, 300]")
        .in(u(128, 300))
        .in(u(300))
        .out(128, 300)
        .run((b, t) -> b.addBias(t[0], t[1], 128, 300, 1, t[2]), 1e-6, 1e-7, 2);
    new Case("addBias conv [128, 16, 32, 32]")
        .in(u(128, 16, 32, 32))
        .in(u(16))
        .out(128, 16, 32, 32)
        .run((b, t) -> b.addBias(t[0], t[1], 128, 16, 1024, t[2]), 1e-6, 1e-7, 2);
    new Case("biasGrad linear")
        .in(u(128, 300))
        .out(300)
        .run((b, t) -> b.biasGrad(t[0], 128, 300, 1, t[1]), 1e-5, 1e-6, 1);
    new Case("biasGrad conv")
        .in(u(128, 16, 32, 32))
        .out(16)
        .run((b, t) -> b.biasGrad(t[0], 128, 16, 1024, t[1]), 1e-5, 1e-6, 1);
  }

  @Test
  void gemmAllTransposes() {
    // LeNet-300-100 first layer forward and backward shapes, plus a ragged one.
    int[][] mnk = {{128, 300, 784}, {784, 300, 128}, {67, 45, 1031}};
    for (int[] s : mnk) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      for (int ta = 0; ta < 2; ta++) {
        for (int tb = 0; tb < 2; tb++) {
          boolean transA = ta == 1;
          boolean transB = tb == 1;
          for (float beta : new float[] {0f, 0.5f}) {
            Case c =
                new Case(
                    String.format(
                        "gemm m=%d n=%d k=%d tA=%b tB=%b beta=%s", m, n, k, transA, transB, beta));
            c.in(transA ? u(k, m) : u(m, k)).in(transB ? u(n, k) : u(k, n));
            if (beta == 0f) {
              c.out(m, n);
            } else {
              c.in(u(m, n));
            }
            c.run(
                (b, t) -> b.gemm(transA, transB, m, n, k, 1.25f, t[0], t[1], beta, t[2]),
                1e-4,
                1e-5,
                2);
          }
        }
      }
    }
  }

  @Test
  void convolutionsOfResNet20AndVgg() {
    ConvGeometry[] layers = {
      ConvGeometry.square(128, 3, 32, 32, 3, 1, 1), // stem
      ConvGeometry.square(128, 16, 32, 32, 3, 1, 1), // stage 1
      ConvGeometry.square(128, 16, 32, 32, 3, 2, 1), // into stage 2
      ConvGeometry.square(128, 32, 16, 16, 1, 2, 0), // 1x1 shortcut into stage 3
      ConvGeometry.square(128, 64, 8, 8, 3, 1, 1), // stage 3
      ConvGeometry.square(32, 256, 8, 8, 3, 1, 1), // VGG-like wide layer
    };
    int[] outChannels = {16, 16, 32, 64, 64, 512};
    for (int i = 0; i < layers.length; i++) {
      ConvGeometry g = layers[i];
      int k = outChannels[i];
      int[] x = {g.n(), g.c(), g.h(), g.w()};
      int[] w = {k, g.c(), g.r(), g.s()};
      int[] y = {g.n(), k, g.p(), g.q()};
      String name = "conv " + g + " K=" + k;
      new Case(name + " forward")
          .in(u(x))
          .in(u(w))
          .out(y)
          .run((b, t) -> b.conv2d(t[0], t[1], t[2], g), 1e-4, 1e-5, 2);
      new Case(name + " backward data")
          .in(u(y))
          .in(u(w))
          .out(x)
          .run((b, t) -> b.conv2dBackwardData(t[0], t[1], t[2], g), 1e-4, 1e-5, 2);
      new Case(name + " backward weight")
          .in(u(x))
          .in(u(y))
          .out(w)
          .run((b, t) -> b.conv2dBackwardWeight(t[0], t[1], t[2], g), 1e-4, 1e-5, 2);
    }
  }

  @Test
  void batchNorm() {
    int[][] shapes = {{128, 16, 32, 32}, {128, 64, 8, 8}, {128, 100}};
    for (int[] s : shapes) {
      int c = s[1];
      String name = "batchNorm " + java.util.Arrays.toString(s);
      // Offset inputs (mean 3, spread 1) test the variance's cancellation handling.
      Tensor x = uniform(rng, 2f, 4f, s);
      new Case(name + " train")
          .in(x)
          .in(uniform(rng, 0.5f, 1.5f, c))
          .in(u(c))
          .in(u(c))
          .in(uniform(rng, 0.5f, 1.5f, c))
          .out(s)
          .out(c)
          .out(c)
          .run(
              (b, t) ->
                  b.batchNormTrain(t[0], t[1], t[2], t[3], t[4], 0.1f, 1e-5f, t[5], t[6], t[7]),
              1e-4,
              1e-5,
              3,
              4,
              5,
              6,
              7);
      new Case(name + " eval")
          .in(x)
          .in(uniform(rng, 0.5f, 1.5f, c))
          .in(u(c))
          .in(uniform(rng, 2f, 4f, c))
          .in(uniform(rng, 0.5f, 1.5f, c))
          .out(s)
          .run((b, t) -> b.batchNormEval(t[0], t[1], t[2], t[3], t[4], 1e-5f, t[5]), 1e-5, 1e-6, 5);
      new Case(name + " backward")
          .in(x)
          .in(u(s))
          .in(uniform(rng, 0.5f, 1.5f, c))
          .in(uniform(rng, 2.9f, 3.1f, c))
          .in(uniform(rng, 1.6f, 1.8f, c))
          .out(s)
          .out(c)
          .out(c)
          .run(
              (b, t) -> b.batchNormBackward(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]),
              1e-3,
              1e-4,
              5,
              6,
              7);
    }
  }

  @Test
  void poolingAndShortcut() {
    ConvGeometry[] pools = {
      ConvGeometry.square(128, 64, 32, 32, 2, 2, 0), // VGG max pool
      ConvGeometry.square(128, 16, 15, 15, 3, 2, 1), // overlapping windows
      ConvGeometry.square(128, 64, 8, 8, 8, 1, 0), // ResNet global average pool
    };
    for (ConvGeometry g : pools) {
      int[] x = {g.n(), g.c(), g.h(), g.w()};
      int[] y = {g.n(), g.c(), g.p(), g.q()};
      Tensor in = u(x);
      Tensor dy = u(y);
      new Case("maxPool " + g)
          .in(in)
          .out(y)
          .out(y)
          .run((b, t) -> b.maxPool2d(t[0], t[1], t[2], g), 0, 0, 1, 2);
      Tensor argmax = Tensor.zeros(y);
      CpuBackend.get().maxPool2d(in, Tensor.zeros(y), argmax, g);
      new Case("maxPool backward " + g)
          .in(dy)
          .in(argmax)
          .out(x)
          .run((b, t) -> b.maxPool2dBackward(t[0], t[1], t[2], g), 1e-6, 1e-7, 2);
      new Case("avgPool " + g)
          .in(in)
          .out(y)
          .run((b, t) -> b.avgPool2d(t[0], t[1], g), 1e-5, 1e-7, 1);
      new Case("avgPool backward " + g)
          .in(dy)
          .out(x)
          .run((b, t) -> b.avgPool2dBackward(t[0], t[1], g), 1e-5, 1e-7, 1);
    }
    new Case("shortcutA 16 -> 32")
        .in(u(128, 16, 32, 32))
        .out(128, 32, 16, 16)
        .run((b, t) -> b.shortcutA(t[0], t[1]), 0, 0, 1);
    new Case("shortcutA backward 32 -> 16")
        .in(u(128, 32, 16, 16))
        .out(128, 16, 32, 32)
        .run((b, t) -> b.shortcutABackward(t[0], t[1]), 0, 0, 1);
  }

  @Test
  void softmaxCrossEntropy() {
    float[] labels = new float[128];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = rng.nextInt(10);
    }
    Tensor y = Tensor.of(labels, 128);
    new Case("softmaxCrossEntropy [128, 10]")
        .in(uniform(rng, -8f, 8f, 128, 10))
        .in(y)
        .out(128, 10)
        .out(1)
        .run((b, t) -> b.softmaxCrossEntropy(t[0], t[1], t[2], t[3]), 1e-5, 1e-7, 2, 3);
    Tensor probs = Tensor.zeros(128, 10);
    CpuBackend.get().softmaxCrossEntropy(uniform(rng, -8f, 8f, 128, 10), y, probs, Tensor.zeros(1));
    new Case("softmaxCrossEntropy backward")
        .in(probs)
        .in(y)
        .in(Tensor.of(new float[] {1.5f}, 1))
        .out(128, 10)
        .run((b, t) -> b.softmaxCrossEntropyBackward(t[0], t[1], t[2], t[3]), 1e-6, 1e-7, 3);
  }

  @Test
  void sgdVariants() {
    int n = 272_474 + 3; // ResNet-20's parameter count, plus a ragged tail
    boolean[][] variants = {{false, false}, {false, true}, {true, false}, {true, true}};
    for (boolean[] v : variants) {
      boolean nesterov = v[0];
      boolean first = v[1];
      new Case("sgd nesterov=" + nesterov + " first=" + first)
          .in(u(n))
          .in(u(n))
          .in(u(n))
          .run(
              (b, t) -> b.sgdStep(t[0], t[1], t[2], 0.1f, 0.9f, 0f, 5e-4f, nesterov, first),
              1e-5,
              1e-6,
              0,
              2);
    }
    new Case("sgd no momentum")
        .in(u(n))
        .in(u(n))
        .run(
            (b, t) -> b.sgdStep(t[0], t[1], null, 0.1f, 0f, 0f, 1e-4f, false, false),
            1e-5,
            1e-6,
            0);
    new Case("sgd dampening")
        .in(u(n))
        .in(u(n))
        .in(u(n))
        .run(
            (b, t) -> b.sgdStep(t[0], t[1], t[2], 0.05f, 0.5f, 0.3f, 0f, false, false),
            1e-5,
            1e-6,
            0,
            2);
  }

  @Test
  void maskedWeightForwardAndBackward() {
    int[][] shapes = {{64, 64, 3, 3}, {300, 784}, {1 << 24}, {1031}};
    for (int[] s : shapes) {
      String name = "maskedWeight " + java.util.Arrays.toString(s);
      Tensor w = u(s);
      Tensor sc = uniform(rng, -3f, 3f, s);
      new Case(name)
          .in(w)
          .in(sc)
          .out(s)
          .out(1)
          .run((b, t) -> b.maskedWeight(t[0], t[1], 1.7f, 2f, 1e-4f, t[2], t[3]), 2e-6, 1e-7, 2, 3);
      new Case(name + " backward")
          .in(w)
          .in(sc)
          .in(u(s))
          .in(Tensor.of(new float[] {0.8f}, 1))
          .out(s)
          .out(s)
          .run(
              (b, t) -> b.maskedWeightBackward(t[0], t[1], t[2], t[3], 1.7f, 2f, 1e-4f, t[4], t[5]),
              1e-5,
              1e-6,
              4,
              5);
    }
  }
}
