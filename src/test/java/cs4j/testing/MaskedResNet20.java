package cs4j.testing;

import cs4j.autograd.Autograd;
import cs4j.models.InitScheme;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.nn.Parameter;
import cs4j.ops.Ops;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.sparsity.LayerSelection;
import cs4j.sparsity.MaskLogits;
import cs4j.tensor.Device;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The production masked ResNet-20 on one device, the workload of the device parity tests: the
 * registry's {@code resnet20-a} (option-A shortcuts) from a seed, Continuous Sparsification logits
 * on all 20 layers (19 convs and the classifier; s0 = 0, c = 2, λ = 1e-8, β = 1) and the reference
 * protocol's two optimisers (Nesterov, momentum 0.9, lr 0.1; weight decay 1e-4 on the weights, none
 * on the logits).
 */
public final class MaskedResNet20 implements AutoCloseable {
  public static final InputSpec CIFAR = new InputSpec(3, 32, 32, 10);

  private final Module model;
  private final MaskLogits masks;
  private final List<Sgd> optimizers;

  public MaskedResNet20(Device device, long seed) {
    model = Models.create("resnet20-a", CIFAR, InitScheme.XAVIER_NORMAL, seed, device);
    masks = new MaskLogits(model, LayerSelection.CONVS_AND_LINEAR, 0.0, true, 1e-8);
    masks.install();
    List<Parameter> weights =
        model.parameters().stream()
            .filter(p -> masks.parameters().stream().noneMatch(q -> q == p))
            .toList();
    optimizers =
        List.of(
            new Sgd(ParamGroup.nesterov(weights, 0.1, 0.9, 1e-4)),
            new Sgd(ParamGroup.nesterov(masks.parameters(), 0.1, 0.9, 0)));
  }

  public Module model() {
    return model;
  }

  public MaskLogits masks() {
    return masks;
  }

  public List<Sgd> optimizers() {
    return optimizers;
  }

  /** Random CIFAR-shaped images [n, 3, 32, 32] in [−1, 1) and random labels [n], on the host. */
  public static Tensor[] batch(long seed, int n) {
    Rng rng = new Rng(seed);
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(10);
    }
    return new Tensor[] {Tensor.uniform(rng, -1f, 1f, n, 3, 32, 32), Tensor.of(labels, n)};
  }

  /**
   * Forward and backward of {@code batch} (host tensors) in a scope of its own; applies the
   * optimisers when {@code apply}. Returns, downloaded, the loss (key {@code loss}) and every
   * parameter's gradient (key {@code <name>.grad}).
   */
  public Map<String, float[]> step(Tensor[] batch, boolean apply) {
    Device d = model.device();
    try (MemoryScope step = d.openScope()) {
      masks.onStepStart(0, 0, 1);
      Tensor logits = model.forward(batch[0].to(d));
      Tensor loss = Ops.add(Ops.crossEntropy(logits, batch[1].to(d)), masks.extraLoss());
      optimizers.forEach(Sgd::zeroGrad);
      Autograd.backward(loss);
      Map<String, float[]> out = new LinkedHashMap<>();
      out.put("loss", new float[] {loss.item()});
      model.namedParameters().forEach((n, p) -> out.put(n + ".grad", p.grad().toArray()));
      if (apply) {
        optimizers.forEach(Sgd::step);
      }
      optimizers.forEach(Sgd::zeroGrad); // the gradients die with the scope
      return out;
    }
  }

  /** Every parameter and buffer (weights, logits, BN statistics), downloaded by name. */
  public Map<String, float[]> state() {
    Map<String, float[]> out = new LinkedHashMap<>();
    model.stateDict().forEach((n, t) -> out.put(n, t.toArray()));
    return out;
  }

  /** Makes this network's weights, buffers and momentum equal to {@code other}'s. */
  public void copyStateFrom(MaskedResNet20 other) {
    model.loadStateDict(other.model.stateDict());
    for (int i = 0; i < optimizers.size(); i++) {
      optimizers.get(i).loadMomentumBuffers(other.optimizers.get(i).momentumBuffers());
    }
  }

  @Override
  public void close() {
    optimizers.forEach(Sgd::close);
    model.close();
  }
}
