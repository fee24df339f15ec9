package cs4j.sparsity;

import cs4j.nn.Module;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import cs4j.train.TrainingHooks;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Random pruning, the sanity floor: a uniformly random global mask with exactly the requested
 * density (seeded by the experiment seed), trained from the initial weights.
 */
public final class RandomPruning extends ConfiguredMethod<RandomPruning.Config> {
  /**
   * @param fractionRemaining density of the uniformly random mask, in (0, 1]
   */
  public record Config(double fractionRemaining) {
    public Config {
      Require.density("random", "fractionRemaining", fractionRemaining);
    }

    public static Config defaults() {
      return new Config(0.1);
    }
  }

  public RandomPruning(Config config) {
    super("random", config);
  }

  @Override
  List<RoundResult> runValidated(
      ExperimentContext ctx, Supplier<Module> models, RoundListener listener) throws IOException {
    Module net = models.get();
    Masks masks = draw(ctx.model(), net, ctx.layers(), config.fractionRemaining(), ctx.seed());
    int epochs = ctx.recipe().epochs();
    return Phase.rounds(
        ctx,
        1,
        listener,
        k ->
            Phase.trainRound(
                ctx, net, masks, TrainingHooks.NONE, 0, "pruned", epochs, System.nanoTime()));
  }

  /**
   * A mask keeping exactly round(density·N) of the N selected weights, chosen uniformly (partial
   * Fisher–Yates shuffle seeded by {@code seed}).
   */
  static Masks draw(String model, Module net, LayerSelection layers, double density, long seed) {
    Masks dense = Masks.dense(model, net, layers);
    int total = Math.toIntExact(dense.total());
    int keep = (int) Math.round(density * total);
    int[] idx = new int[total];
    for (int i = 0; i < total; i++) {
      idx[i] = i;
    }
    Rng rng = new Rng(seed);
    boolean[] kept = new boolean[total];
    for (int i = 0; i < keep; i++) {
      int j = i + rng.nextInt(total - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
      kept[idx[i]] = true;
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    int offset = 0;
    for (String name : dense.layers()) {
      Tensor m = dense.get(name);
      float[] v = new float[m.numel()];
      for (int i = 0; i < v.length; i++) {
        v[i] = kept[offset + i] ? 1f : 0f;
      }
      offset += v.length;
      out.put(name, Tensor.of(v, m.shape().dims()));
    }
    return Masks.of(model, out);
  }
}
