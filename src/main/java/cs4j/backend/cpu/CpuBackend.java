package cs4j.backend.cpu;

import cs4j.backend.Backend;
import cs4j.backend.ConvGeometry;
import cs4j.tensor.Device;
import cs4j.tensor.HostStorage;
import cs4j.tensor.Tensor;

/**
 * The pure-Java backend. Elementwise kernels are plain loops split over the worker threads; GEMM,
 * convolution, batch norm and pooling live in their own classes. Thread count: the system property
 * {@code cs4j.threads}, else every available core; {@link #setThreads} changes it. Every result is
 * identical bit for bit for any thread count: reductions keep partials per fixed-size block ({@link
 * ParallelFor#runBlocks}) or per output (a channel, a GEMM element), never per thread.
 */
public final class CpuBackend implements Backend {
  /** Below this many elements a loop runs on the calling thread. */
  static final int GRAIN = 1 << 15;

  /** The activation backward kernels every CpuBackend uses, chosen once. */
  static final ActivationKernel ACTIVATIONS =
      VectorKernels.choose(
          ActivationKernel.class, "VectorActivationKernel", ScalarActivationKernel::new);

  private static volatile CpuBackend instance;

  private final ParallelFor par;
  private final CpuGemm gemm;
  private final CpuConv conv;

  private CpuBackend(int threads) {
    this.par = new ParallelFor(threads);
    this.gemm = new CpuGemm(par);
    this.conv = new CpuConv(par, gemm);
  }

  /** The shared CPU backend. */
  public static CpuBackend get() {
    CpuBackend b = instance;
    if (b == null) {
      synchronized (CpuBackend.class) {
        b = instance;
        if (b == null) {
          b = new CpuBackend(defaultThreads());
          instance = b;
        }
      }
    }
    return b;
  }

  /** Replaces the shared backend with one using {@code threads} worker threads. */
  public static synchronized void setThreads(int threads) {
    CpuBackend old = instance;
    instance = new CpuBackend(threads);
    if (old != null) {
      old.par.close();
    }
  }

  public int threads() {
    return par.threads();
  }

  @Override
  public String describe() {
    return String.format(
        "pure-Java CPU backend, %d thread(s); GEMM micro-kernel %s; masked-weight kernel %s",
        threads(), gemmKernel(), maskedWeightKernel());
  }

  /** Which GEMM micro-kernel runs (SIMD via jdk.incubator.vector, or plain Java), for logs. */
  public String gemmKernel() {
    return gemm.kernel().name();
  }

  private static int defaultThreads() {
    String p = System.getProperty("cs4j.threads");
    if (p != null) {
      try {
        return Integer.parseInt(p.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("cs4j.threads must be an integer, got '" + p + "'", e);
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }

  static float[] data(Tensor t) {
    return ((HostStorage) t.storage()).data();
  }

  @Override
  public Device device() {
    return Device.CPU;
  }

  // ---- memory and elementwise -------------------------------------------------------------

  @Override
  public void fill(Tensor x, float value) {
    float[] a = data(x);
    par.run(a.length, GRAIN, (ch, lo, hi) -> java.util.Arrays.fill(a, lo, hi, value));
  }

  @Override
  public void addScalar(Tensor x, float value) {
    float[] a = data(x);
    par.run(
        a.length,
        GRAIN,
        (ch, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            a[i] += value;
          }
        });
  }

  @Override
  public void copy(Tensor src, Tensor dst) {
    float[] s = data(src);
    float[] d = data(dst);
    par.run(s.length, GRAIN, (ch, lo, hi) -> System.arraycopy(s, lo, d, lo, hi - lo));
  }

  @Override
  public void copySlice(Tensor src, int srcOffset, Tensor dst, int dstOffset, int count) {
    System.arraycopy(data(src), srcOffset, data(dst), dstOffset, count);
  }

  @Override
  public void axpby(float alpha, Tensor a, float beta, Tensor b, Tensor out) {
    float[] x = data(a);
    float[] y = data(b);
    float[] o = data(out);
    par.run(
        o.length,
        GRAIN,
        (ch, lo, hi) -> {
          if (beta == 0f) { // b unread: 0·∞ would turn a scaled infinity into NaN
            for (int i = lo; i < hi; i++) {
              o[i] = alpha * x[i];
            }
          } else {
            for (int i = lo; i < hi; i++) {
              o[i] = alpha * x[i] + beta * y[i];
            }
          }
        });
  }

  @Override
  public void mul(Tensor a, Tensor b, Tensor out) {
    float[] x = data(a);
    float[] y = data(b);
    float[] o = data(out);
    par.run(
        o.length,
        GRAIN,
        (ch, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            o[i] = x[i] * y[i];
          }
        });
  }

  @Override
  public void relu(Tensor x, Tensor y) {
    float[] in = data(x);
    float[] out = data(y);
    par.run(
        in.length,
        GRAIN,
        (ch, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            out[i] = Math.max(in[i], 0f);
          }
        });
  }

  @Override
  public void reluBackward(Tensor y, Tensor dY, Tensor dX) {
    float[] out = data(y);
    float[] g = data(dY);
    float[] dx = data(dX);
    par.run(out.length, GRAIN, (ch, lo, hi) -> ACTIVATIONS.reluBackward(out, g, lo, hi, dx, lo));
  }

  @Override
  public void sigmoid(Tensor x, Tensor y) {
    float[] in = data(x);
    float[] out = data(y);
    par.run(
        in.length,
        GRAIN,
        (ch, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            out[i] = sigmoid(in[i]);
          }
        });
  }

  /** σ(x), computed without overflow for either sign. */
  static float sigmoid(float x) {
    if (x >= 0f) {
      return 1f / (1f + (float) Math.exp(-x));
    }
    float e = (float) Math.exp(x);
    return e / (1f + e);
  }

  @Override
  public void sigmoidBackward(Tensor y, Tensor dY, Tensor dX) {
    float[] out = data(y);
    float[] g = data(dY);
    float[] dx = data(dX);
    par.run(
        out.length,
        GRAIN,
        (ch, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            dx[i] = g[i] * out[i] * (1f - out[i]);
          }
        });
  }

  // ---- reductions and broadcasts ------------------------------------------------------------

  /** Σ x, in double: one partial per block of {@link #GRAIN} elements, added in block order. */
  @Override
  public void sum(Tensor x, Tensor out) {
    float[] a = data(x);
    double[] partial = new double[ParallelFor.blocks(a.length, GRAIN)];
    par.runBlocks(
        a.length,
        GRAIN,
        (b, lo, hi) -> {
          double s = 0;
          for (int i = lo; i < hi; i++) {
            s += a[i];
          }
          partial[b] = s;
        });
    double s = 0;
    for (double p : partial) {
      s += p;
    }
    data(out)[0] = (float) s;
  }

  @Override
  public void broadcastScalar(Tensor g, float alpha, Tensor out) {
    fill(out, alpha * data(g)[0]);
  }

  @Override
  public void addBias(Tensor x, Tensor bias, int outer, int channels, int inner, Tensor out) {
    float[] in = data(x);
    float[] b = data(bias);
    float[] o = data(out);
    int rows = outer * channels;
    par.run(
        rows,
        Math.max(1, GRAIN / inner),
        (ch, lo, hi) -> {
          for (int row = lo; row < hi; row++) {
            float v = b[row % channels];
            int base = row * inner;
            for (int i = base; i < base + inner; i++) {
              o[i] = in[i] + v;
            }
          }
        });
  }

  @Override
  public void biasGrad(Tensor dY, int outer, int channels, int inner, Tensor dBias) {
    float[] g = data(dY);
    float[] db = data(dBias);
    par.run(
        channels,
        1,
        (ch, lo, hi) -> {
          for (int c = lo; c < hi; c++) {
            double s = 0;
            for (int o = 0; o < outer; o++) {
              int base = (o * channels + c) * inner;
              for (int i = base; i < base + inner; i++) {
                s += g[i];
              }
            }
            db[c] = (float) s;
          }
        });
  }

  // ---- matrix multiply and convolution ------------------------------------------------------

  @Override
  public void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      Tensor a,
      Tensor b,
      float beta,
      Tensor c) {
    gemm.gemm(transA, transB, m, n, k, alpha, data(a), 0, data(b), 0, beta, data(c), 0);
  }

  @Override
  public void conv2d(Tensor x, Tensor w, Tensor y, ConvGeometry g) {
    conv.forward(data(x), data(w), data(y), g);
  }

  @Override
  public void conv2dBackwardData(Tensor dY, Tensor w, Tensor dX, ConvGeometry g) {
    conv.backwardData(data(dY), data(w), data(dX), g);
  }

  @Override
  public void conv2dBackwardWeight(Tensor x, Tensor dY, Tensor dW, ConvGeometry g) {
    conv.backwardWeight(data(x), data(dY), data(dW), g);
  }

  // ---- normalisation and pooling ------------------------------------------------------------

  @Override
  public void batchNormTrain(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float momentum,
      float eps,
      Tensor y,
      Tensor saveMean,
      Tensor saveInvStd) {
    batchNormTrain(
        x,
        null,
        false,
        gamma,
        beta,
        runningMean,
        runningVar,
        momentum,
        eps,
        y,
        saveMean,
        saveInvStd);
  }

  @Override
  public void batchNormReluTrain(
      Tensor x,
      Tensor residual,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float momentum,
      float eps,
      Tensor y,
      Tensor saveMean,
      Tensor saveInvStd) {
    batchNormTrain(
        x,
        residual,
        true,
        gamma,
        beta,
        runningMean,
        runningVar,
        momentum,
        eps,
        y,
        saveMean,
        saveInvStd);
  }

  private void batchNormTrain(
      Tensor x,
      Tensor residual,
      boolean relu,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float momentum,
      float eps,
      Tensor y,
      Tensor saveMean,
      Tensor saveInvStd) {
    CpuBatchNorm.train(
        par,
        x.dim(0),
        x.dim(1),
        x.numel() / (x.dim(0) * x.dim(1)),
        data(x),
        data(gamma),
        data(beta),
        data(runningMean),
        data(runningVar),
        momentum,
        eps,
        residual == null ? null : data(residual),
        relu,
        data(y),
        data(saveMean),
        data(saveInvStd));
  }

  @Override
  public void batchNormEval(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float eps,
      Tensor y) {
    batchNormEval(x, null, false, gamma, beta, runningMean, runningVar, eps, y);
  }

  /** In place when y is x: each element is read before it is written. */
  @Override
  public void batchNormReluEval(
      Tensor x,
      Tensor residual,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float eps,
      Tensor y) {
    batchNormEval(x, residual, true, gamma, beta, runningMean, runningVar, eps, y);
  }

  private void batchNormEval(
      Tensor x,
      Tensor residual,
      boolean relu,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float eps,
      Tensor y) {
    CpuBatchNorm.eval(
        par,
        x.dim(0),
        x.dim(1),
        x.numel() / (x.dim(0) * x.dim(1)),
        data(x),
        data(gamma),
        data(beta),
        data(runningMean),
        data(runningVar),
        eps,
        residual == null ? null : data(residual),
        relu,
        data(y));
  }

  @Override
  public void batchNormBackward(
      Tensor x,
      Tensor dY,
      Tensor gamma,
      Tensor saveMean,
      Tensor saveInvStd,
      Tensor dX,
      Tensor dGamma,
      Tensor dBeta) {
    batchNormBackward(x, null, dY, gamma, saveMean, saveInvStd, dX, dGamma, dBeta);
  }

  @Override
  public void batchNormReluBackward(
      Tensor x,
      Tensor y,
      Tensor dY,
      Tensor gamma,
      Tensor saveMean,
      Tensor saveInvStd,
      Tensor dX,
      Tensor dGamma,
      Tensor dBeta) {
    batchNormBackward(x, data(y), dY, gamma, saveMean, saveInvStd, dX, dGamma, dBeta);
  }

  /** reluOut: the ReLU output masking dY, or null for plain batch norm. */
  private void batchNormBackward(
      Tensor x,
      float[] reluOut,
      Tensor dY,
      Tensor gamma,
      Tensor saveMean,
      Tensor saveInvStd,
      Tensor dX,
      Tensor dGamma,
      Tensor dBeta) {
    CpuBatchNorm.backward(
        par,
        x.dim(0),
        x.dim(1),
        x.numel() / (x.dim(0) * x.dim(1)),
        data(x),
        reluOut,
        data(dY),
        data(gamma),
        data(saveMean),
        data(saveInvStd),
        data(dX),
        data(dGamma),
        data(dBeta));
  }

  @Override
  public void maxPool2d(Tensor x, Tensor y, Tensor argmax, ConvGeometry g) {
    CpuPooling.maxForward(par, data(x), data(y), data(argmax), g);
  }

  @Override
  public void maxPool2dBackward(Tensor dY, Tensor argmax, Tensor dX, ConvGeometry g) {
    CpuPooling.maxBackward(par, data(dY), data(argmax), data(dX), g);
  }

  @Override
  public void avgPool2d(Tensor x, Tensor y, ConvGeometry g) {
    CpuPooling.avgForward(par, data(x), data(y), g);
  }

  @Override
  public void avgPool2dBackward(Tensor dY, Tensor dX, ConvGeometry g) {
    CpuPooling.avgBackward(par, data(dY), data(dX), g);
  }

  @Override
  public void shortcutA(Tensor x, Tensor y) {
    CpuPooling.shortcutA(data(x), data(y), x.dim(0), x.dim(1), x.dim(2), x.dim(3), y.dim(1), false);
  }

  @Override
  public void shortcutABackward(Tensor dY, Tensor dX) {
    CpuPooling.shortcutA(
        data(dX), data(dY), dX.dim(0), dX.dim(1), dX.dim(2), dX.dim(3), dY.dim(1), true);
  }

  // ---- loss ---------------------------------------------------------------------------------

  @Override
  public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor probs, Tensor loss) {
    int n = logits.dim(0);
    int k = logits.dim(1);
    float[] z = data(logits);
    float[] y = data(labels);
    float[] p = data(probs);
    double total = 0;
    for (int row = 0; row < n; row++) {
      int base = row * k;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, z[base + j]);
      }
      double sumExp = 0;
      for (int j = 0; j < k; j++) {
        double e = Math.exp(z[base + j] - max);
        p[base + j] = (float) e;
        sumExp += e;
      }
      for (int j = 0; j < k; j++) {
        p[base + j] = (float) (p[base + j] / sumExp);
      }
      int label = (int) y[row];
      // −log softmax = log Σ exp(z − max) − (z_label − max)
      total += Math.log(sumExp) - (z[base + label] - max);
    }
    data(loss)[0] = (float) (total / n);
  }

  @Override
  public void softmaxCrossEntropyBackward(
      Tensor probs, Tensor labels, Tensor dLoss, Tensor dLogits) {
    int n = probs.dim(0);
    int k = probs.dim(1);
    float[] p = data(probs);
    float[] y = data(labels);
    float[] d = data(dLogits);
    float scale = data(dLoss)[0] / n;
    for (int row = 0; row < n; row++) {
      int base = row * k;
      int label = (int) y[row];
      for (int j = 0; j < k; j++) {
        d[base + j] = scale * (p[base + j] - (j == label ? 1f : 0f));
      }
    }
  }

  @Override
  public void countCorrect(Tensor logits, Tensor labels, Tensor out) {
    int n = logits.dim(0);
    int k = logits.dim(1);
    float[] z = data(logits);
    float[] y = data(labels);
    int hits = 0;
    for (int row = 0; row < n; row++) {
      int base = row * k;
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (z[base + j] > z[base + best]) {
          best = j;
        }
      }
      if (best == y[row]) {
        hits++;
      }
    }
    data(out)[0] = hits;
  }

  @Override
  public void hardConcreteGate(
      Tensor logAlpha,
      boolean sample,
      long noiseState,
      long noiseOffset,
      float temperature,
      float gamma,
      float zeta,
      Tensor z,
      Tensor dzda) {
    float[] a = data(logAlpha);
    float[] out = data(z);
    float[] d = sample ? data(dzda) : null;
    par.run(
        a.length,
        GRAIN,
        (ch, lo, hi) ->
            CpuHardConcrete.gates(
                a, sample, noiseState, noiseOffset, temperature, gamma, zeta, out, d, lo, hi));
  }

  // ---- optimiser --------------------------------------------------------------------------

  @Override
  public void sgdStep(
      Tensor w,
      Tensor g,
      Tensor buf,
      float lr,
      float momentum,
      float dampening,
      float weightDecay,
      boolean nesterov,
      boolean firstStep) {
    float[] p = data(w);
    float[] grad = data(g);
    float[] b = momentum == 0f ? null : data(buf);
    par.run(
        p.length,
        GRAIN,
        (ch, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            float d = grad[i] + weightDecay * p[i];
            if (b != null) {
              float m = firstStep ? d : momentum * b[i] + (1f - dampening) * d;
              b[i] = m;
              d = nesterov ? d + momentum * m : m;
            }
            p[i] -= lr * d;
          }
        });
  }

  // ---- the Continuous Sparsification mask ----------------------------------------------------

  /** Which masked-weight kernel runs: "vector(N-bit)" or "scalar" (see CpuMaskedWeight). */
  public String maskedWeightKernel() {
    return CpuMaskedWeight.KERNEL.name();
  }

  @Override
  public void maskedWeight(
      Tensor w, Tensor s, float beta, float c, float lambda, Tensor wEff, Tensor penalty) {
    data(penalty)[0] = CpuMaskedWeight.forward(par, data(w), data(s), beta, c, lambda, data(wEff));
  }

  @Override
  public void maskedWeightBackward(
      Tensor w,
      Tensor s,
      Tensor dWEff,
      Tensor dPenalty,
      float beta,
      float c,
      float lambda,
      Tensor dW,
      Tensor dS) {
    CpuMaskedWeight.backward(
        par, data(w), data(s), data(dWEff), data(dPenalty)[0], beta, c, lambda, data(dW), data(dS));
  }
}
