package cs4j.sparsity;

import cs4j.backend.Backend;
import cs4j.backend.HostTransfer;
import cs4j.nn.Maskable;
import cs4j.nn.Module;
import cs4j.nn.Parameter;
import cs4j.ops.MaskedWeight;
import cs4j.ops.Ops;
import cs4j.tensor.Tensor;
import cs4j.train.TrainingHooks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Continuous Sparsification state of one network: a logit tensor s per masked layer, attached
 * to the layer as the parameter {@code mask_weight} (the reference code's name, so it is
 * checkpointed with the weights), the temperature β and the penalty.
 *
 * <p>While {@link #install installed}, each masked layer's forward uses the fused op {@code w_eff =
 * w ⊙ c·σ(β·s)} and contributes {@code λ·Σ c·σ(β·s)} to the penalty that {@link #extraLoss()} hands
 * to the trainer. As hooks, it sets β at each epoch (β_e = β_final^(e/(E−1))) or iteration (β_t =
 * β_final^(t/(T−1))).
 *
 * <p>Public so that an embedder can put Continuous Sparsification into a training loop of their
 * own: attach it, {@link #install()} it, train the weights and {@link #parameters()} (the logits:
 * no weight decay), call the hooks, add {@link #extraLoss()} to the loss, and read the {@link
 * #ticket} at the end.
 */
public final class MaskLogits implements TrainingHooks {
  /** The logits' state-dict name on each masked layer (the reference code's). */
  public static final String NAME = "mask_weight";

  private final Map<String, Maskable> layers;
  private final Map<String, Parameter> logits = new LinkedHashMap<>();
  private final float s0;
  private final float c;
  private final float lambda;
  private final List<Tensor> penalties = new ArrayList<>();
  private ContinuousSparsification.BetaSchedule schedule =
      ContinuousSparsification.BetaSchedule.PER_EPOCH;
  private double betaFinal = 1;
  private int epochs = 1;
  private float beta = 1f;

  /**
   * Attaches logits filled with {@code s0} to the layers {@code selection} picks in {@code net}.
   *
   * @param scaleMask c = 1/σ(s0) when true, 1 when false
   */
  public MaskLogits(
      Module net, LayerSelection selection, double s0, boolean scaleMask, double lambda) {
    this.layers = selection.select(net);
    this.s0 = (float) s0;
    this.c = scaleMask ? (float) scale(s0) : 1f;
    this.lambda = (float) lambda;
    layers.forEach(
        (name, layer) -> {
          Tensor w = layer.weight().value();
          Tensor s = Tensor.zeros(w.shape(), w.device());
          Backend.of(w.device()).fill(s, this.s0);
          logits.put(name, ((Module) layer).attachParameter(NAME, s));
        });
  }

  /** c = 1/σ(s0) = 1 + e^(−s0): the soft mask is exactly 1 at β = 1 and s = s0. */
  static double scale(double s0) {
    return 1 + Math.exp(-s0);
  }

  public float c() {
    return c;
  }

  public float beta() {
    return beta;
  }

  void setBeta(float b) {
    this.beta = b;
  }

  /** The β schedule the hooks follow over a phase of {@code epochs} epochs. */
  public void schedule(ContinuousSparsification.BetaSchedule s, double finalBeta, int phaseEpochs) {
    this.schedule = s;
    this.betaFinal = finalBeta;
    this.epochs = phaseEpochs;
  }

  public List<Parameter> parameters() {
    return new ArrayList<>(logits.values());
  }

  Map<String, Parameter> byLayer() {
    return logits;
  }

  /** Makes every masked layer use the soft mask (replacing any other transform). */
  public void install() {
    layers.forEach(
        (name, layer) -> {
          Tensor s = logits.get(name).value();
          layer.setWeightTransform(
              w -> {
                MaskedWeight mw = Ops.maskedWeight(w, s, beta, c, lambda);
                penalties.add(mw.penalty());
                return mw.weight();
              });
        });
  }

  /** β_e = β_final^(e/(E−1)) (per-epoch schedule; β = 1 for a one-epoch phase). */
  static double betaAtEpoch(double betaFinal, int epoch, int epochs) {
    return epochs <= 1 ? 1.0 : Math.pow(betaFinal, (double) epoch / (epochs - 1));
  }

  /** β_t = β_final^(t/(T−1)) at iteration t of T. */
  static double betaAtIteration(double betaFinal, long t, long iterations) {
    return iterations <= 1 ? 1.0 : Math.pow(betaFinal, (double) t / (iterations - 1));
  }

  @Override
  public void onEpochStart(int epoch, int firstStep) {
    if (schedule == ContinuousSparsification.BetaSchedule.PER_EPOCH) {
      beta = (float) betaAtEpoch(betaFinal, epoch, epochs);
    }
  }

  @Override
  public void onStepStart(int epoch, int step, int stepsPerEpoch) {
    penalties.clear(); // drop what evaluation forwards left
    if (schedule == ContinuousSparsification.BetaSchedule.PER_ITERATION) {
      beta =
          (float)
              betaAtIteration(
                  betaFinal, (long) epoch * stepsPerEpoch + step, (long) epochs * stepsPerEpoch);
    }
  }

  /** β: the one host value the masked forward bakes into its kernels. */
  @Override
  public Object stepKey() {
    return beta;
  }

  /** λ·Σ_layers Σ c·σ(β·s), as recorded by this step's forward. */
  @Override
  public Tensor extraLoss() {
    Tensor total = null;
    for (Tensor p : penalties) {
      total = total == null ? p : Ops.add(total, p);
    }
    penalties.clear();
    return total;
  }

  /** The ticket m = 1[s > 0], from the logits of every layer read in one transfer. */
  public Masks ticket(String model) {
    float[][] all = HostTransfer.download(logitTensors());
    Map<String, Tensor> m = new LinkedHashMap<>();
    int layer = 0;
    for (Map.Entry<String, Parameter> e : logits.entrySet()) {
      float[] s = all[layer++];
      float[] out = new float[s.length];
      for (int i = 0; i < s.length; i++) {
        out[i] = s[i] > 0f ? 1f : 0f;
      }
      m.put(e.getKey(), Tensor.of(out, e.getValue().value().shape().dims()));
    }
    return Masks.of(model, m);
  }

  private List<Tensor> logitTensors() {
    return logits.values().stream().map(Parameter::value).toList();
  }

  /**
   * The soft reset between rounds: s ← min(β_reset·s, s0), with β_reset = 1 ({@code
   * REFERENCE_CODE}) or β_final ({@code PAPER}). In float, as the reference's {@code clamp}.
   */
  public void softReset(ContinuousSparsification.SoftReset rule, double finalBeta) {
    float b = rule == ContinuousSparsification.SoftReset.PAPER ? (float) finalBeta : 1f;
    List<Tensor> values = logitTensors();
    float[][] all = HostTransfer.download(values);
    for (int layer = 0; layer < all.length; layer++) {
      float[] s = all[layer];
      for (int i = 0; i < s.length; i++) {
        s[i] = Math.min(b * s[i], s0);
      }
      values.get(layer).copyFrom(s);
    }
  }
}
