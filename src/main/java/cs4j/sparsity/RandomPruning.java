package cs4j.sparsity;

import java.io.IOException;
import java.util.List;

/**
 * Random pruning, the sanity floor: a uniformly random global mask with exactly the requested
 * density (seeded by the experiment seed), trained from the initial weights.
 */
public final class RandomPruning implements PruningMethod {
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

  private final Config config;

  public RandomPruning(Config config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public List<RoundResult> run(ExperimentContext ctx, RoundListener listener) throws IOException {
    throw new UnsupportedOperationException("random: not implemented yet");
  }
}
