package cs4j.ops;

import static cs4j.testing.TensorAssert.assertClose;

import cs4j.autograd.GradCheck;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Batch norm, training and eval, on x [N, C, H, W] and [N, C]: gradients in x, γ and β, forward
 * values and the running-statistics update, against direct double-precision formulas.
 *
 * <p>Tolerances. Training: the output is smooth in x (through the batch mean and 1/σ); step 1e-2 on
 * unit-variance inputs leaves truncation and rounding errors observed ≤ 7e-5: tolerance 2e-4. Eval:
 * affine in x, γ and β, so step 0.5 and tolerance 1e-5. Forward: 1e-5 relative + 1e-5 absolute
 * (float output of a double computation).
 */
class BatchNormGradTest {
  private static final float MOMENTUM = 0.1f;
  private static final float BN_EPS = 1e-5f;

  private record Params(Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar) {
    static Params random(Rng rng, int c) {
      Tensor gamma = Tensor.uniform(rng, 0.5f, 1.5f, c).requiresGrad(true);
      Tensor beta = GradInputs.normal(rng, 0.5f, c);
      Tensor runningMean = Tensor.normal(rng, 0f, 0.5f, c);
      Tensor runningVar = Tensor.uniform(rng, 0.5f, 2f, c);
      return new Params(gamma, beta, runningMean, runningVar);
    }
  }

  private static Tensor bn(Tensor x, Tensor gamma, Tensor beta, Params p, boolean training) {
    return Ops.batchNorm(x, gamma, beta, p.runningMean, p.runningVar, training, MOMENTUM, BN_EPS);
  }

  private static void gradCheck(Tensor x, Params p, boolean training, double eps, double tol) {
    GradCheck.checkElementwise(
            in -> bn(in[0], in[1], in[2], p, training), new Tensor[] {x, p.gamma, p.beta}, eps, 1)
        .assertBelow(tol);
  }

  @Test
  void trainingRank4Gradient() {
    Rng rng = new Rng(51);
    gradCheck(GradInputs.normal(rng, 1f, 3, 2, 3, 4), Params.random(rng, 2), true, 1e-2, 2e-4);
  }

  @Test
  void trainingRank2Gradient() {
    Rng rng = new Rng(52);
    gradCheck(GradInputs.normal(rng, 1f, 6, 3), Params.random(rng, 3), true, 1e-2, 2e-4);
  }

  @Test
  void trainingGradientWithAShiftedScaledInput() {
    // Batch statistics far from (0, 1): the normalisation must absorb them.
    Rng rng = new Rng(53);
    float[] a = Tensor.normal(rng, 3f, 4f, 4, 2, 2, 3).toArray();
    Tensor x = Tensor.of(a, 4, 2, 2, 3).requiresGrad(true);
    gradCheck(x, Params.random(rng, 2), true, 4e-2, 2e-4);
  }

  @Test
  void evalRank4Gradient() {
    Rng rng = new Rng(54);
    gradCheck(GradInputs.normal(rng, 1f, 2, 3, 2, 3), Params.random(rng, 3), false, 0.5, 1e-5);
  }

  @Test
  void evalRank2Gradient() {
    Rng rng = new Rng(55);
    gradCheck(GradInputs.normal(rng, 1f, 5, 4), Params.random(rng, 4), false, 0.5, 1e-5);
  }

  @Test
  void trainingForwardAndRunningStatistics() {
    for (int[] dims : new int[][] {{3, 2, 3, 4}, {6, 3}}) {
      Rng rng = new Rng(56);
      Tensor x = Tensor.normal(rng, 1f, 2f, dims);
      Params p = Params.random(rng, dims[1]);
      float[] rm0 = p.runningMean.toArray();
      float[] rv0 = p.runningVar.toArray();
      Tensor y = bn(x, p.gamma, p.beta, p, true);

      int n = dims[0];
      int c = dims[1];
      int l = x.numel() / (n * c);
      float[] xs = x.toArray();
      float[] g = p.gamma.toArray();
      float[] b = p.beta.toArray();
      float[] expected = new float[xs.length];
      float[] rm = new float[c];
      float[] rv = new float[c];
      for (int ch = 0; ch < c; ch++) {
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < l; j++) {
            sum += xs[(i * c + ch) * l + j];
          }
        }
        double mean = sum / (n * l);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < l; j++) {
            double d = xs[(i * c + ch) * l + j] - mean;
            sq += d * d;
          }
        }
        double var = sq / (n * l);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < l; j++) {
            int k = (i * c + ch) * l + j;
            expected[k] = (float) (g[ch] * (xs[k] - mean) / Math.sqrt(var + BN_EPS) + b[ch]);
          }
        }
        rm[ch] = (float) ((1 - MOMENTUM) * rm0[ch] + MOMENTUM * mean);
        rv[ch] = (float) ((1 - MOMENTUM) * rv0[ch] + MOMENTUM * sq / (n * l - 1)); // unbiased
      }
      String what = "batchNorm training " + x.shape();
      assertClose(expected, y, 1e-5, 1e-5, what + " output");
      assertClose(rm, p.runningMean, 1e-5, 1e-6, what + " running mean");
      assertClose(rv, p.runningVar, 1e-5, 1e-6, what + " running variance (unbiased)");
    }
  }

  @Test
  void evalForwardUsesRunningStatisticsAndLeavesThemAlone() {
    Rng rng = new Rng(57);
    Tensor x = Tensor.normal(rng, 0f, 1f, 2, 3, 2, 2);
    Params p = Params.random(rng, 3);
    float[] rm = p.runningMean.toArray();
    float[] rv = p.runningVar.toArray();
    float[] g = p.gamma.toArray();
    float[] b = p.beta.toArray();
    Tensor y = bn(x, p.gamma, p.beta, p, false);
    float[] xs = x.toArray();
    float[] expected = new float[xs.length];
    for (int k = 0; k < xs.length; k++) {
      int ch = (k / 4) % 3;
      expected[k] = (float) (g[ch] * (xs[k] - rm[ch]) / Math.sqrt(rv[ch] + BN_EPS) + b[ch]);
    }
    assertClose(expected, y, 1e-5, 1e-5, "batchNorm eval output");
    assertClose(rm, p.runningMean, 0, 0, "running mean unchanged by eval");
    assertClose(rv, p.runningVar, 0, 0, "running variance unchanged by eval");
  }
}
