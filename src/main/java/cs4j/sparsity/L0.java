package cs4j.sparsity;

import cs4j.backend.HostTransfer;
import cs4j.nn.Maskable;
import cs4j.nn.Module;
import cs4j.nn.Parameter;
import cs4j.ops.Ops;
import cs4j.optim.Sgd;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import cs4j.train.TrainingDivergedException;
import cs4j.train.TrainingHooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Stochastic ℓ0 regularisation (Louizos et al. 2018) with one hard-concrete gate per weight (the ℓ0
 * baseline of the CS paper); the final mask keeps the weights whose test-time gate is > 0.
 */
public final class L0 extends ConfiguredMethod<L0.Config> {
  /**
   * @param lambda penalty weight of the expected number of open gates
   * @param initialDropRate p: log α starts at log((1 − p)/p)
   * @param initNoise standard deviation of the normal noise added to the initial log α
   * @param temperature T of the hard-concrete distribution
   * @param gamma lower stretch limit γ (< 0)
   * @param zeta upper stretch limit ζ (> 1)
   * @param gateLrFactor the log α learning rate relative to the weights'
   * @param fineTuneEpochs fine-tuning with the binary mask (test gate > 0) after the run
   */
  public record Config(
      double lambda,
      double initialDropRate,
      double initNoise,
      double temperature,
      double gamma,
      double zeta,
      double gateLrFactor,
      int fineTuneEpochs) {
    public Config {
      String o = "l0";
      Require.nonNegative(o, "lambda", lambda);
      Require.openUnit(o, "initialDropRate", initialDropRate);
      Require.nonNegative(o, "initNoise", initNoise);
      Require.positive(o, "temperature", temperature);
      if (!(gamma < 0) || !Double.isFinite(gamma)) {
        throw Require.fail(o, "gamma", "must be finite and < 0", gamma);
      }
      if (!(zeta > 1) || !Double.isFinite(zeta)) {
        throw Require.fail(o, "zeta", "must be finite and > 1", zeta);
      }
      Require.positive(o, "gateLrFactor", gateLrFactor);
      Require.atLeast(o, "fineTuneEpochs", fineTuneEpochs, 0);
    }

    /** Louizos et al.: (γ, ζ) = (−0.1, 1.1), T = 2/3, p = 0.5, noise 0.01. */
    public static Config defaults() {
      return new Config(1e-6, 0.5, 0.01, 2.0 / 3.0, -0.1, 1.1, 1.0, 0);
    }
  }

  public L0(Config config) {
    super("l0", config);
  }

  /** The per-weight gate parameter's state-dict name. */
  static final String LOG_ALPHA = "log_alpha";

  @Override
  List<RoundResult> runValidated(
      ExperimentContext ctx, Supplier<Module> models, RoundListener listener) throws IOException {
    Module net = models.get();
    Gates gates = new Gates(net, ctx.layers(), ctx.seed());
    List<Sgd> opts =
        List.of(
            ctx.recipe().optimizer(Phase.without(net, gates.parameters())),
            ctx.recipe()
                .optimizer(gates.parameters(), ctx.recipe().lr() * config.gateLrFactor(), 0));
    int epochs = ctx.recipe().epochs();
    return Phase.rounds(
        ctx,
        1,
        listener,
        k -> {
          long t0 = System.nanoTime();
          Path dir = ctx.roundDir(0);
          Path state = dir.resolve(RunFiles.STATE);
          TrainingDivergedException diverged = null;
          if (Files.exists(state)) {
            RunFiles.loadState(state, net, opts);
          } else {
            diverged =
                Phase.trainOrDiverge(
                    ctx, net, opts, ctx.recipe().schedule(), gates, epochs, dir.resolve("train"));
            RunFiles.saveState(state, net, opts);
          }
          Masks masks = gates.masks(ctx.model());
          if (config.fineTuneEpochs() > 0 && diverged == null) {
            gates.freeze();
            diverged =
                Phase.trainOrDiverge(
                    ctx,
                    net,
                    List.of(ctx.recipe().optimizer(Phase.without(net, gates.parameters()))),
                    ctx.recipe().schedule(),
                    TrainingHooks.NONE,
                    config.fineTuneEpochs(),
                    dir.resolve("finetune"));
          }
          RoundResult r =
              Phase.result(
                  ctx,
                  net,
                  0,
                  "pruned",
                  masks,
                  epochs + config.fineTuneEpochs(),
                  t0,
                  diverged,
                  RoundWarnings.LEARNING_RATE);
          RunFiles.finish(dir, r, masks);
          return r;
        });
  }

  /**
   * The gates of one network: log α attached to each masked layer as {@code log_alpha}, a sampled
   * gate per weight in training mode and the test-time gate otherwise, and the penalty λ·E[‖z‖₀].
   * The noise of step (epoch, step) is the stream of a generator seeded by (seed, epoch, step),
   * drawn on the device, the layers taking consecutive draws in forward order; a resumed run draws
   * what an uninterrupted one draws.
   */
  private final class Gates implements TrainingHooks {
    private final Map<String, Parameter> logAlpha = new LinkedHashMap<>();
    private final Map<String, Maskable> layers;
    private final HardConcrete hc =
        new HardConcrete(config.temperature(), config.gamma(), config.zeta());
    private final long seed;
    private long noiseState;
    private long noiseDrawn;

    Gates(Module net, LayerSelection selection, long seed) {
      this.seed = seed;
      Rng init = new Rng(seed ^ 0x6C30L);
      double mean = Math.log((1 - config.initialDropRate()) / config.initialDropRate());
      layers = selection.select(net);
      layers.forEach(
          (name, layer) -> {
            Tensor w = layer.weight().value();
            Tensor a = Tensor.zeros(w.shape(), w.device());
            a.copyFrom(
                Tensor.normal(init, (float) mean, (float) config.initNoise(), w.shape().dims())
                    .toArray());
            Parameter p = ((Module) layer).attachParameter(LOG_ALPHA, a);
            logAlpha.put(name, p);
            Module owner = (Module) layer;
            layer.setWeightTransform(
                x -> Ops.mul(x, owner.isTraining() ? sample(p.value()) : hc.testGate(p.value())));
          });
    }

    private Tensor sample(Tensor a) {
      Tensor z = hc.sample(a, noiseState, noiseDrawn);
      noiseDrawn += a.numel();
      return z;
    }

    List<Parameter> parameters() {
      return new ArrayList<>(logAlpha.values());
    }

    @Override
    public void onStepStart(int epoch, int step, int steps) {
      noiseState = new Rng(new Rng(seed * 0x9E3779B97F4A7C15L + epoch).nextLong() + step).state();
      noiseDrawn = 0;
    }

    /** The step's noise stream: new every step, so an ℓ0 step is never replayed. */
    @Override
    public Object stepKey() {
      return noiseState;
    }

    @Override
    public Tensor extraLoss() {
      Tensor total = null;
      for (Parameter p : logAlpha.values()) {
        Tensor e = hc.expectedOpen(p.value());
        total = total == null ? e : Ops.add(total, e);
      }
      return Ops.scale(total, (float) config.lambda());
    }

    /** The final mask: the test-time gate is > 0 (all layers' gates read in one transfer). */
    Masks masks(String model) {
      List<Tensor> gates = logAlpha.values().stream().map(p -> hc.testGate(p.value())).toList();
      float[][] all = HostTransfer.download(gates);
      Map<String, Tensor> m = new LinkedHashMap<>();
      int layer = 0;
      for (Map.Entry<String, Parameter> e : logAlpha.entrySet()) {
        float[] z = all[layer++];
        for (int i = 0; i < z.length; i++) {
          z[i] = z[i] > 0f ? 1f : 0f;
        }
        m.put(e.getKey(), Tensor.of(z, e.getValue().value().shape().dims()));
      }
      return Masks.of(model, m);
    }

    /** Fixes every layer's gate at its test-time value (a constant) for fine-tuning. */
    void freeze() {
      layers.forEach(
          (name, layer) -> {
            Tensor z = hc.testGate(logAlpha.get(name).value());
            layer.setWeightTransform(x -> Ops.mul(x, z));
          });
    }
  }
}
