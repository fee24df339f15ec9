package cs4j.ops;

import static cs4j.ops.Alloc.backend;
import static cs4j.ops.Alloc.like;
import static cs4j.ops.Alloc.uninitializedLike;

import cs4j.autograd.Graph;
import cs4j.autograd.Node;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;

/**
 * Batch normalisation over x [N, C, H, W] (or [N, C]) with affine γ, β [C], alone or followed by a
 * residual sum and ReLU as one op (one output; bit for bit the separate ops). Training uses batch
 * statistics and updates the running ones in place; eval uses the running ones.
 */
final class BatchNormOps {
  private BatchNormOps() {}

  static Tensor batchNorm(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps) {
    check("batchNorm2d", x, gamma, beta, runningMean, runningVar, training, momentum, eps);
    Tensor y = uninitializedLike(x);
    if (!training) {
      backend(x).batchNormEval(x, gamma, beta, runningMean, runningVar, eps, y);
      return Graph.record(new EvalNode(x, gamma, beta, runningMean, runningVar, eps), y);
    }
    Tensor mean = Alloc.uninitializedOn(x, x.dim(1));
    Tensor invStd = Alloc.uninitializedOn(x, x.dim(1));
    backend(x)
        .batchNormTrain(x, gamma, beta, runningMean, runningVar, momentum, eps, y, mean, invStd);
    return Graph.record(new TrainNode("batchNorm2d", x, null, null, gamma, beta, mean, invStd), y);
  }

  /**
   * max(batchNorm(x) (+ residual), 0), residual [N, C, H, W] or null. In training, one output y;
   * without a residual, its backward masks dY by y &gt; 0 inside batch norm's backward. In eval
   * without a graph to record, the output overwrites x when {@code consumeX} (the caller's
   * temporary: a conv output nothing else reads); in eval with a graph, it is the separate ops.
   */
  static Tensor batchNormRelu(
      Tensor x,
      Tensor residual,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps,
      boolean consumeX) {
    String op = residual == null ? "batchNormRelu" : "batchNormAddRelu";
    check(op, x, gamma, beta, runningMean, runningVar, training, momentum, eps);
    if (residual != null) {
      Check.sameDevice(op, "x", x, "residual", residual);
      Check.sameShape(op, "x", x, "residual", residual);
    }
    if (!training) {
      if (Graph.needsRecording(x, residual, gamma, beta)) {
        Tensor y = batchNorm(x, gamma, beta, runningMean, runningVar, false, momentum, eps);
        return ElementwiseOps.relu(residual == null ? y : ElementwiseOps.add(y, residual));
      }
      Tensor y = consumeX ? x : uninitializedLike(x);
      backend(x).batchNormReluEval(x, residual, gamma, beta, runningMean, runningVar, eps, y);
      return y;
    }
    Tensor y = uninitializedLike(x);
    Tensor mean = Alloc.uninitializedOn(x, x.dim(1));
    Tensor invStd = Alloc.uninitializedOn(x, x.dim(1));
    backend(x)
        .batchNormReluTrain(
            x, residual, gamma, beta, runningMean, runningVar, momentum, eps, y, mean, invStd);
    return Graph.record(new TrainNode(op, x, y, residual, gamma, beta, mean, invStd), y);
  }

  private static void check(
      String op,
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps) {
    Check.sameDevice(op, "x", x, "gamma", gamma);
    Check.sameDevice(op, "x", x, "beta", beta);
    Check.sameDevice(op, "x", x, "runningMean", runningMean);
    Check.sameDevice(op, "x", x, "runningVar", runningVar);
    if (x.rank() != 2 && x.rank() != 4) {
      throw new IllegalArgumentException(
          op + ": x must be [N, C, H, W] or [N, C], got shape " + x.shape());
    }
    Shape c = Shape.of(x.dim(1));
    Check.shape(op, "gamma", gamma, c);
    Check.shape(op, "beta", beta, c);
    Check.shape(op, "runningMean", runningMean, c);
    Check.shape(op, "runningVar", runningVar, c);
    if (!(eps > 0f)) {
      throw new IllegalArgumentException(op + ": eps must be > 0, got " + eps);
    }
    if (!training) {
      return;
    }
    if (x.numel() / x.dim(1) < 2) {
      throw new IllegalArgumentException(
          op + ": training needs more than one value per channel, got shape " + x.shape());
    }
    if (!(momentum >= 0f && momentum <= 1f)) {
      throw new IllegalArgumentException(op + ": momentum must be in [0, 1], got " + momentum);
    }
  }

  /**
   * Training backward of batch norm, or with its ReLU output y (non-null) of max(batchNorm(x), 0),
   * or with a residual too of max(batchNorm(x) + residual, 0), whose masked gradient is both the
   * residual's gradient and batch norm's dY.
   */
  private static final class TrainNode extends Node {
    private final boolean hasResidual;
    private Tensor x;
    private Tensor y;
    private Tensor gamma;
    private Tensor mean;
    private Tensor invStd;

    TrainNode(
        String name,
        Tensor x,
        Tensor y,
        Tensor residual,
        Tensor gamma,
        Tensor beta,
        Tensor mean,
        Tensor invStd) {
      super(
          name,
          1,
          residual == null
              ? new Tensor[] {x, gamma, beta}
              : new Tensor[] {x, gamma, beta, residual});
      this.hasResidual = residual != null;
      this.x = x;
      this.y = y;
      this.gamma = gamma;
      this.mean = mean;
      this.invStd = invStd;
    }

    @Override
    protected Tensor[] backward(Tensor[] g) {
      Tensor dX = uninitializedLike(x);
      Tensor dGamma = uninitializedLike(gamma);
      Tensor dBeta = uninitializedLike(gamma);
      if (y == null) {
        backend(x).batchNormBackward(x, g[0], gamma, mean, invStd, dX, dGamma, dBeta);
        return new Tensor[] {dX, dGamma, dBeta};
      }
      if (!hasResidual) {
        backend(x).batchNormReluBackward(x, y, g[0], gamma, mean, invStd, dX, dGamma, dBeta);
        return new Tensor[] {dX, dGamma, dBeta};
      }
      Tensor dSum = uninitializedLike(y); // ∂L/∂(batchNorm(x) + residual)
      backend(x).reluBackward(y, g[0], dSum);
      backend(x).batchNormBackward(x, dSum, gamma, mean, invStd, dX, dGamma, dBeta);
      return new Tensor[] {dX, dGamma, dBeta, dSum};
    }

    @Override
    protected void releaseSaved() {
      x = null;
      y = null;
      gamma = null;
      mean = null;
      invStd = null;
    }
  }

  /**
   * Eval mode is affine in x with fixed statistics: y = a·x + b with a = γ·invStd, so dX = a·dY, dγ
   * = Σ dY·x̂ and dβ = Σ dY, computed with the eval forward itself on the gradient.
   */
  private static final class EvalNode extends Node {
    private Tensor x;
    private Tensor gamma;
    private Tensor runningMean;
    private Tensor runningVar;
    private final float eps;

    EvalNode(
        Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps) {
      super("batchNorm2d(eval)", 1, x, gamma, beta);
      this.x = x;
      this.gamma = gamma;
      this.runningMean = runningMean;
      this.runningVar = runningVar;
      this.eps = eps;
    }

    @Override
    protected Tensor[] backward(Tensor[] g) {
      Tensor dY = g[0];
      Tensor zeros = like(gamma); // read as mean and shift: must be 0
      Tensor dX = null;
      if (needsGrad(0)) {
        // dX = γ·invStd·dY: the eval transform of dY with mean 0 and shift 0.
        dX = uninitializedLike(x);
        backend(x).batchNormEval(dY, gamma, zeros, zeros, runningVar, eps, dX);
      }
      Tensor dGamma = null;
      Tensor dBeta = null;
      if (needsGrad(1) || needsGrad(2)) {
        // x̂ = the eval transform of x with γ = 1, β = 0.
        Tensor ones = uninitializedLike(gamma);
        backend(x).fill(ones, 1f);
        Tensor xhat = uninitializedLike(x);
        backend(x).batchNormEval(x, ones, zeros, runningMean, runningVar, eps, xhat);
        Tensor prod = uninitializedLike(x);
        backend(x).mul(dY, xhat, prod);
        int n = x.dim(0);
        int c = x.dim(1);
        int inner = x.numel() / (n * c);
        dGamma = uninitializedLike(gamma);
        backend(x).biasGrad(prod, n, c, inner, dGamma);
        dBeta = uninitializedLike(gamma);
        backend(x).biasGrad(dY, n, c, inner, dBeta);
      }
      return new Tensor[] {dX, dGamma, dBeta};
    }

    @Override
    protected void releaseSaved() {
      x = null;
      gamma = null;
      runningMean = null;
      runningVar = null;
    }
  }
}
