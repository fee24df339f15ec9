package cs4j.backend.cuda;

import cs4j.autograd.Autograd;
import cs4j.nn.Parameter;
import cs4j.ops.MaskedWeight;
import cs4j.ops.Ops;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.tensor.Device;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * ResNet-20 (CIFAR, option-A shortcuts) with a Continuous Sparsification mask on every convolution
 * and the classifier, written with the functional ops so that the same network runs on any device
 * from the same seed: the workload of the CUDA parity test and of the GPU benchmark's whole step.
 *
 * <p>One step: loss = cross-entropy + Σ λ·Σ c·σ(β·s) over the masked layers, backward, then SGD
 * (Nesterov, momentum 0.9) on weights (weight decay 1e-4) and mask logits (no decay).
 */
final class MaskedResNet20 {
  static final float BETA = 1f;
  static final float C = 2f; // 1/σ(s0) for s0 = 0
  static final float LAMBDA = 1e-8f;
  static final float BN_MOMENTUM = 0.1f;
  static final float BN_EPS = 1e-5f;

  private final List<Parameter> weights = new ArrayList<>(); // 19 convs, then the classifier
  private final List<Parameter> masks = new ArrayList<>();
  private final List<Parameter> others = new ArrayList<>(); // BN γ, β and the classifier bias
  private final List<Tensor[]> bn = new ArrayList<>(); // γ, β, running mean, running var
  private final Parameter fcBias;
  private final Sgd sgd;

  MaskedResNet20(Device device, long seed) {
    Rng rng = new Rng(seed);
    conv(device, rng, 16, 3);
    for (int stage = 0; stage < 3; stage++) {
      int ch = 16 << stage;
      for (int block = 0; block < 3; block++) {
        int in = block == 0 && stage > 0 ? ch / 2 : ch;
        conv(device, rng, ch, in);
        conv(device, rng, ch, ch);
      }
    }
    masked(device, rng, Tensor.normal(rng, 0f, (float) Math.sqrt(2.0 / 74), 10, 64));
    fcBias = param(device, Tensor.zeros(10), others);
    List<Parameter> decayed = new ArrayList<>(weights);
    decayed.addAll(others);
    sgd =
        new Sgd(
            List.of(
                ParamGroup.nesterov(decayed, 0.1, 0.9, 1e-4),
                ParamGroup.nesterov(masks, 0.1, 0.9, 0)));
  }

  private static Parameter param(Device device, Tensor cpu, List<Parameter> into) {
    Parameter p = new Parameter(cpu.to(device));
    into.add(p);
    return p;
  }

  private void masked(Device device, Rng rng, Tensor w) {
    param(device, w, weights);
    param(device, Tensor.uniform(rng, -0.5f, 0.5f, w.shape().dims()), masks);
  }

  /** A 3×3 conv [k, c, 3, 3] (Xavier-normal) followed by a batch norm over k channels. */
  private void conv(Device device, Rng rng, int k, int c) {
    masked(device, rng, Tensor.normal(rng, 0f, (float) Math.sqrt(2.0 / (9 * (c + k))), k, c, 3, 3));
    Tensor gamma = param(device, Tensor.ones(k), others).value();
    Tensor beta = param(device, Tensor.zeros(k), others).value();
    bn.add(new Tensor[] {gamma, beta, Tensor.zeros(k).to(device), Tensor.ones(k).to(device)});
  }

  /** The training loss of one batch x [N, 3, 32, 32], labels [N]; records the graph. */
  Tensor loss(Tensor x, Tensor labels) {
    List<Tensor> penalties = new ArrayList<>();
    int layer = 0;
    Tensor h = Ops.relu(convBn(x, layer++, 1, penalties));
    for (int stage = 0; stage < 3; stage++) {
      for (int block = 0; block < 3; block++) {
        int stride = block == 0 && stage > 0 ? 2 : 1;
        Tensor o = Ops.relu(convBn(h, layer++, stride, penalties));
        o = convBn(o, layer++, 1, penalties);
        Tensor shortcut = stride == 2 ? Ops.shortcutA(h, 16 << stage) : h;
        h = Ops.relu(Ops.add(o, shortcut));
      }
    }
    MaskedWeight fc = mask(layer, penalties);
    Tensor logits = Ops.linear(Ops.globalAvgPool(h), fc.weight(), fcBias.value());
    Tensor loss = Ops.crossEntropy(logits, labels);
    for (Tensor p : penalties) {
      loss = Ops.add(loss, p);
    }
    return loss;
  }

  private MaskedWeight mask(int layer, List<Tensor> penalties) {
    MaskedWeight m =
        Ops.maskedWeight(weights.get(layer).value(), masks.get(layer).value(), BETA, C, LAMBDA);
    penalties.add(m.penalty());
    return m;
  }

  private Tensor convBn(Tensor x, int layer, int stride, List<Tensor> penalties) {
    Tensor y = Ops.conv2d(x, mask(layer, penalties).weight(), null, stride, 1);
    Tensor[] b = bn.get(layer);
    return Ops.batchNorm(y, b[0], b[1], b[2], b[3], true, BN_MOMENTUM, BN_EPS);
  }

  /** One training step; returns the loss (read back: the step's one host sync). */
  float step(Tensor x, Tensor labels) {
    Tensor loss = loss(x, labels);
    float value = loss.item();
    Autograd.backward(loss);
    sgd.step();
    sgd.zeroGrad();
    return value;
  }

  /** Momentum buffers, created by the first step (a step's scope must keep them). */
  List<Tensor> momentumBuffers() {
    List<Tensor> out = new ArrayList<>(sgd.momentumBuffers());
    out.removeIf(t -> t == null);
    return out;
  }

  List<Parameter> weights() {
    return weights;
  }

  List<Parameter> masks() {
    return masks;
  }

  /** Running means and variances of every batch norm, in layer order. */
  List<Tensor> runningStats() {
    List<Tensor> out = new ArrayList<>();
    for (Tensor[] b : bn) {
      out.add(b[2]);
      out.add(b[3]);
    }
    return out;
  }
}
